/**
 * Files: list, push (streamed multipart upload), pull (streamed multipart download), make
 * directories, remove. Every per-path failure Pebble reports becomes a `PathError`.
 * @module
 */
import { Readable } from 'node:stream';
import { APIError, ConnectionError, PathError, PebbleError, ProtocolError } from './errors.ts';
import { boundaryOf, MultipartParser } from './internal/multipart-reader.ts';
import { makeBoundary, multipartBody, multipartContentType } from './internal/multipart-writer.ts';
import { type Requester, readText } from './internal/requester.ts';
import type {
  FileInfo,
  FileOwnership,
  ListFilesOptions,
  MakeDirOptions,
  PullOptions,
  PushOptions,
  PushSource,
  RemovePathOptions,
} from './types.ts';

interface FileInfoWire {
  path: string;
  name: string;
  type: string;
  size?: number;
  permissions: string;
  'last-modified': string;
  'user-id'?: number | null;
  user?: string;
  'group-id'?: number | null;
  group?: string;
}

interface FileResultWire {
  path: string;
  error?: { message?: string; kind?: string } | null;
}

interface OwnershipWire {
  permissions?: string;
  'user-id'?: number;
  user?: string;
  'group-id'?: number;
  group?: string;
}

const fileErrorKinds = new Set(['not-found', 'permission-denied', 'generic-file-error']);

/**
 * Lists a directory's entries (or, for a file or with `itself`, the entry itself).
 * Throws PathError (`not-found`, `permission-denied`, `generic-file-error`) when Pebble cannot
 * read the path, APIError for a refused request (a relative path, a bad pattern).
 */
export async function listFiles(
  rq: Requester,
  path: string,
  options: ListFilesOptions = {},
): Promise<FileInfo[]> {
  let result: unknown;
  try {
    ({ result } = await rq.sync({
      method: 'GET',
      path: '/v1/files',
      query: {
        action: 'list',
        path,
        pattern: options.pattern || undefined,
        itself: options.itself ? 'true' : undefined,
      },
      signal: options.signal,
    }));
  } catch (error) {
    if (error instanceof APIError && error.kind !== undefined && fileErrorKinds.has(error.kind)) {
      throw new PathError(path, error.kind, error.message);
    }
    throw error;
  }
  if (!Array.isArray(result)) throw new ProtocolError(`cannot list ${path}: answer is not a list`);
  return (result as FileInfoWire[]).map(toFileInfo);
}

function toFileInfo(wire: FileInfoWire): FileInfo {
  const permissions = Number.parseInt(wire.permissions, 8);
  if (Number.isNaN(permissions)) {
    throw new ProtocolError(
      `cannot read ${wire.path}: bad permissions ${JSON.stringify(wire.permissions)}`,
    );
  }
  const info: FileInfo = {
    path: wire.path,
    name: wire.name,
    type: wire.type,
    permissions,
    lastModified: new Date(wire['last-modified']),
  };
  if (typeof wire.size === 'number') info.size = wire.size;
  if (typeof wire['user-id'] === 'number') info.userId = wire['user-id'];
  if (wire.user) info.user = wire.user;
  if (typeof wire['group-id'] === 'number') info.groupId = wire['group-id'];
  if (wire.group) info.group = wire.group;
  return info;
}

/** Pebble wants exactly three octal digits; anything else would be refused or misread. */
function permissionsWire(path: string, permissions: number | undefined): string | undefined {
  if (permissions === undefined) return undefined;
  if (!Number.isInteger(permissions) || permissions < 0 || permissions > 0o777) {
    throw new PathError(
      path,
      'generic-file-error',
      `permissions ${String(permissions)} are not between 0o000 and 0o777 (Pebble takes no setuid, setgid or sticky bits)`,
    );
  }
  return permissions.toString(8).padStart(3, '0');
}

function ownershipWire(path: string, options: FileOwnership): OwnershipWire {
  const wire: OwnershipWire = {};
  const permissions = permissionsWire(path, options.permissions);
  if (permissions !== undefined) wire.permissions = permissions;
  // Zero is a real id (root): test for undefined, never for truthiness.
  if (options.userId !== undefined) wire['user-id'] = options.userId;
  if (options.user !== undefined) wire.user = options.user;
  if (options.groupId !== undefined) wire['group-id'] = options.groupId;
  if (options.group !== undefined) wire.group = options.group;
  return wire;
}

/** Throws the first per-path error in a files result list as a PathError. */
function checkResults(verb: string, result: unknown, paths: readonly string[]): void {
  if (!Array.isArray(result))
    throw new ProtocolError(`cannot ${verb} ${paths.join(', ')}: answer is not a list`);
  for (const item of result as FileResultWire[]) {
    if (item?.error) {
      throw new PathError(
        item.path,
        item.error.kind || 'generic-file-error',
        item.error.message ?? 'failed',
      );
    }
  }
}

/**
 * Writes a file, streaming `source` (string, bytes, Readable or AsyncIterable) as the file
 * part of a multipart body, so nothing is buffered whole. The write is atomic on Pebble's side:
 * a push that fails midway leaves any old file as it was.
 * Throws PathError for a per-path failure (missing parent without `makeDirs`, permission,
 * unknown user; and, before anything is sent, permissions outside 0o000–0o777),
 * ConnectionError when the socket fails, APIError for a refused request, the source's own
 * error when it fails, and the signal's reason on abort.
 */
export async function push(
  rq: Requester,
  path: string,
  source: PushSource,
  options: PushOptions = {},
): Promise<void> {
  const item = { path, 'make-dirs': options.makeDirs === true, ...ownershipWire(path, options) };
  const boundary = makeBoundary();
  const body = multipartBody(boundary, [
    {
      name: 'request',
      contentType: 'application/json',
      body: JSON.stringify({ action: 'write', files: [item] }),
    },
    {
      name: 'files',
      filename: path,
      contentType: 'application/octet-stream',
      body: source as string | Uint8Array | AsyncIterable<Uint8Array | string>,
    },
  ]);
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/files',
    rawBody: body,
    headers: { 'content-type': multipartContentType(boundary) },
    signal: options.signal,
  });
  checkResults('push', result, [path]);
}

/**
 * Reads a file as a stream. The promise settles once Pebble has started sending the file
 * (or has said why it cannot): PathError (`not-found`, `permission-denied`,
 * `generic-file-error`) for an unreadable path, ConnectionError when the socket fails.
 * The returned stream ends only after Pebble confirmed the whole file was read; an error
 * reported after the content, a broken connection (ConnectionError) or an abort (the signal's
 * reason) destroys the stream with that error.
 */
export async function pull(
  rq: Requester,
  path: string,
  options: PullOptions = {},
): Promise<Readable> {
  const response = await rq.raw({
    type: 'raw',
    method: 'GET',
    path: '/v1/files',
    query: { action: 'read', path },
    headers: { accept: 'multipart/form-data' },
    signal: options.signal,
  });
  const contentType = response.headers['content-type'];
  const boundary = boundaryOf(Array.isArray(contentType) ? contentType[0] : contentType);
  if (response.status !== 200 || boundary === undefined) {
    throw await pullRefusal(path, response.status, response.body);
  }
  return streamFile(rq, path, boundary, response.body, options.signal);
}

/**
 * Parses the multipart body as it flows in (flowing mode with pause/resume for backpressure:
 * cheaper than async iteration) and streams the file part out.
 */
function streamFile(
  rq: Requester,
  path: string,
  boundary: string,
  body: Readable,
  signal: AbortSignal | undefined,
): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    let output: Readable | undefined;
    let target: 'file' | 'response' | 'skip' = 'skip';
    let responseChunks: Buffer[] = [];
    let responseSize = 0;
    let confirmed = false;
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      body.destroy();
      if (!output) reject(error);
      // Deferred past the caller's `await pull(...)`, so its listeners are attached first
      // (the whole answer may have been parsed before the promise's continuation ran).
      else setImmediate(() => output?.destroy(error as Error));
    };
    const parser = new MultipartParser(boundary, {
      partBegin(info) {
        responseChunks = [];
        responseSize = 0;
        if (info.name === 'response') {
          target = 'response';
        } else if (info.name === 'files' && info.filename === path && !output) {
          target = 'file';
          output = new Readable({
            highWaterMark: 64 * 1024,
            read: () => {
              body.resume();
            },
          });
          // Early destroy by the consumer must release the HTTP connection at once.
          output.once('close', () => body.destroy());
          resolve(output);
        } else {
          target = 'skip';
        }
      },
      partData(chunk) {
        if (target === 'file') {
          if (!output?.push(chunk)) body.pause();
        } else if (target === 'response') {
          responseSize += chunk.length;
          if (responseSize > 1024 * 1024) {
            throw new ProtocolError(`cannot pull ${path}: the "response" part is over 1 MiB`);
          }
          responseChunks.push(Buffer.from(chunk));
        }
      },
      partEnd() {
        if (target === 'response') {
          const text = Buffer.concat(responseChunks).toString('utf8');
          checkResults('pull', envelopeResult(path, text), [path]);
          confirmed = true;
        }
        target = 'skip';
      },
    });
    body.on('data', (chunk: Buffer) => {
      try {
        parser.write(chunk);
      } catch (error) {
        fail(error);
      }
    });
    body.once('end', () => {
      try {
        parser.end();
        if (!output)
          throw new ProtocolError(`cannot pull ${path}: Pebble sent neither the file nor an error`);
        if (!confirmed)
          throw new ProtocolError(`cannot pull ${path}: Pebble's answer has no "response" part`);
        output.push(null);
      } catch (error) {
        fail(error);
      }
    });
    body.once('error', (error: unknown) => {
      if (signal?.aborted) fail(signal.reason);
      else if (error instanceof PebbleError) fail(error);
      else {
        const message = `cannot pull ${path}: the connection to ${rq.socketPath} broke during the transfer`;
        fail(new ConnectionError(rq.socketPath, message, { cause: error }));
      }
    });
  });
}

function envelopeResult(path: string, text: string): unknown {
  let envelope: { type?: string; result?: unknown };
  try {
    envelope = JSON.parse(text) as typeof envelope;
  } catch (error) {
    throw new ProtocolError(`cannot pull ${path}: the "response" part is not JSON`, {
      cause: error,
    });
  }
  return envelope.result;
}

async function pullRefusal(path: string, status: number, body: Readable): Promise<Error> {
  const text = await readText(body).catch(() => '');
  try {
    const envelope = JSON.parse(text) as { result?: { message?: string; kind?: string } };
    const message = envelope.result?.message ?? `HTTP ${status}`;
    return new APIError(status, `cannot pull ${path}: ${message}`, envelope.result?.kind);
  } catch {
    return new ProtocolError(
      `cannot pull ${path}: Pebble answered HTTP ${status} without a multipart body`,
    );
  }
}

/**
 * Creates a directory. With `makeParents`, missing parents are created too and an existing
 * directory is fine. Throws PathError for a per-path failure (exists, missing parent,
 * permission), APIError for a refused request.
 */
export async function makeDir(
  rq: Requester,
  path: string,
  options: MakeDirOptions = {},
): Promise<void> {
  const dir = {
    path,
    'make-parents': options.makeParents === true,
    ...ownershipWire(path, options),
  };
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/files',
    body: { action: 'make-dirs', dirs: [dir] },
    signal: options.signal,
  });
  checkResults('make directory', result, [path]);
}

/**
 * Removes a file or an empty directory; with `recursive`, a directory and everything below
 * it (and a missing path is then not an error). Throws PathError for a per-path failure
 * (not found, not empty, permission), APIError for a refused request.
 */
export async function removePath(
  rq: Requester,
  path: string,
  options: RemovePathOptions = {},
): Promise<void> {
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/files',
    body: { action: 'remove', paths: [{ path, recursive: options.recursive === true }] },
    signal: options.signal,
  });
  checkResults('remove', result, [path]);
}
