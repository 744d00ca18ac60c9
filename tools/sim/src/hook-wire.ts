/**
 * The agent socket's wire format, shared by the simulator (hook-server.ts), the Node hook-tool
 * client (hook-tool-main.ts) and the compiled one (native/hook-tool.c): netstrings,
 * `<decimal length>:<bytes>,`, so a client in C needs no JSON.
 *
 * - request: context id, tool name, `1` + stdin or `0` + empty, then one per argument; the
 *   client then ends its side of the connection;
 * - answer: exit code, stdout, stderr.
 * @module
 */

/** The largest request or answer either side accepts: 64 MiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A request as it crossed the socket (strings decoded as UTF-8). */
export interface WireRequest {
  readonly contextId: string | undefined;
  readonly command: string;
  readonly args: string[];
  readonly stdin: string | undefined;
}

/** An answer as it crossed the socket. */
export interface WireAnswer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Thrown for bytes that are not a well-formed message. */
export class WireError extends Error {}

function encode(fields: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : Buffer.from(field);
    parts.push(Buffer.from(`${bytes.length}:`), bytes, Buffer.from(','));
  }
  return Buffer.concat(parts);
}

/** Splits `bytes` into its netstrings. @throws WireError naming the offset of the fault. */
export function decodeFields(bytes: Buffer): Buffer[] {
  if (bytes.length > MAX_MESSAGE_BYTES) {
    throw new WireError(`message of ${bytes.length} bytes is over ${MAX_MESSAGE_BYTES}`);
  }
  const fields: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const colon = bytes.indexOf(0x3a, at);
    const digits = colon < 0 ? '' : bytes.toString('latin1', at, colon);
    if (!/^(0|[1-9][0-9]{0,9})$/.test(digits)) {
      throw new WireError(`no netstring length at byte ${at}`);
    }
    const length = Number(digits);
    const start = colon + 1;
    if (start + length + 1 > bytes.length || bytes[start + length] !== 0x2c) {
      throw new WireError(`netstring at byte ${at} is cut short or not ended by ','`);
    }
    fields.push(bytes.subarray(start, start + length));
    at = start + length + 1;
  }
  return fields;
}

/** A request's bytes. */
export function encodeRequest(request: WireRequest): Buffer {
  return encode([
    request.contextId ?? '',
    request.command,
    request.stdin === undefined ? '0' : '1',
    request.stdin ?? '',
    ...request.args,
  ]);
}

/** Reads a request. @throws WireError when the bytes are not one. */
export function decodeRequest(bytes: Buffer): WireRequest {
  const fields = decodeFields(bytes).map((field) => field.toString('utf8'));
  const [contextId, command, hasStdin, stdin, ...args] = fields;
  if (command === undefined || stdin === undefined || (hasStdin !== '0' && hasStdin !== '1')) {
    throw new WireError('a request has a context id, a tool, a stdin flag and stdin');
  }
  return {
    contextId: contextId === '' ? undefined : contextId,
    command,
    args,
    stdin: hasStdin === '1' ? stdin : undefined,
  };
}

/** An answer's bytes. */
export function encodeAnswer(answer: WireAnswer): Buffer {
  return encode([String(answer.code), answer.stdout, answer.stderr]);
}

/** Reads an answer. @throws WireError when the bytes are not one. */
export function decodeAnswer(bytes: Buffer): WireAnswer {
  const fields = decodeFields(bytes);
  const code = fields[0]?.toString('latin1') ?? '';
  if (fields.length !== 3 || !/^[0-9]{1,3}$/.test(code) || Number(code) > 255) {
    throw new WireError('an answer is an exit code (0-255), stdout and stderr');
  }
  return {
    code: Number(code),
    stdout: (fields[1] as Buffer).toString('utf8'),
    stderr: (fields[2] as Buffer).toString('utf8'),
  };
}
