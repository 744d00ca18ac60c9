/**
 * Files: list, push (streamed multipart upload), pull (streamed multipart download), make
 * directories, remove. Every per-path failure Pebble reports becomes a `PathError`.
 * @module
 */
import { Readable } from 'node:stream';
import { APIError, ConnectionError, PathError, PebbleError, ProtocolError } from './errors.ts';
import { boundaryOf, MultipartReader } from './internal/multipart-reader.ts';
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
 * part of a multipart body, so nothing is buffered whole. The write is atomic on Pebble's side.
 * Throws PathError for a per-path failure (missing parent without `makeDirs`, permission,
 * unknown user), ConnectionError when the socket fails, APIError for a refused request.
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
 * reported after the content (or a broken connection) destroys the stream with that error.
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
  const reader = new MultipartReader(response.body, boundary);
  try {
    for (;;) {
      const part = await reader.next();
      if (part === null) {
        throw new ProtocolError(`cannot pull ${path}: Pebble sent neither the file nor an error`);
      }
      if (part.name === 'response') {
        checkResults('pull', envelopeResult(path, await reader.text()), [path]);
        continue;
      }
      if (part.name === 'files' && part.filename === path) break;
      // Another path's part (never asked for): skipped by the next `next()`.
    }
  } catch (error) {
    response.body.destroy();
    throw error;
  }
  const stream = Readable.from(fileContent(rq, reader, path, options.signal), {
    objectMode: false,
    highWaterMark: 64 * 1024,
  });
  // Early destroy by the consumer must release the HTTP connection at once.
  stream.once('close', () => response.body.destroy());
  return stream;
}

/** The file's bytes, then the trailing `response` part checked before the stream may end. */
async function* fileContent(
  rq: Requester,
  reader: MultipartReader,
  path: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  try {
    yield* reader.content();
    for (;;) {
      const part = await reader.next();
      if (part === null) {
        throw new ProtocolError(`cannot pull ${path}: Pebble's answer has no "response" part`);
      }
      if (part.name === 'response') {
        checkResults('pull', envelopeResult(path, await reader.text()), [path]);
        return;
      }
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof PebbleError) throw error;
    throw new ConnectionError(
      rq.socketPath,
      `cannot pull ${path}: the connection to ${rq.socketPath} broke during the transfer`,
      { cause: error },
    );
  }
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
