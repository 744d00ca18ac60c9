/**
 * Files: list, push (streamed multipart upload), pull (streamed multipart download), make
 * directories, remove. Every per-path failure Pebble reports becomes a `PathError`.
 * @module
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import {
  APIError,
  ConnectionError,
  PathError,
  PebbleError,
  ProtocolError,
  TimeoutError,
} from './errors.ts';
import { type BodySource, type PullCallbacks, PullStream } from './internal/multipart-pull.ts';
import { boundaryOf } from './internal/multipart-reader.ts';
import { makeBoundary, multipartBody, multipartContentType } from './internal/multipart-writer.ts';
import { buildPath, isConnectionFailure, type Requester, readText } from './internal/requester.ts';
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
 * `generic-file-error`) for an unreadable path, ConnectionError when the socket fails,
 * TimeoutError when Pebble does not answer in time.
 * The returned stream ends only after Pebble confirmed the whole file was read; an error
 * reported after the content, a broken connection (ConnectionError) or an abort (the signal's
 * reason) destroys the stream with that error.
 */
export async function pull(
  rq: Requester,
  path: string,
  options: PullOptions = {},
): Promise<Readable> {
  const { signal } = options;
  signal?.throwIfAborted();
  try {
    return await dispatchPull(rq, await rq.dispatcher(), path, signal);
  } catch (error) {
    if (!(error instanceof NotConnected)) throw error;
  }
  // The socket failed before Pebble answered: the request path retries GETs for a bounded
  // time and names the failure.
  const response = await rq.raw({
    type: 'raw',
    method: 'GET',
    path: '/v1/files',
    query: pullQuery(path),
    headers: pullHeaders,
    signal,
  });
  const contentType = response.headers['content-type'];
  const boundary = boundaryOf(Array.isArray(contentType) ? contentType[0] : contentType);
  if (response.status !== 200 || boundary === undefined) {
    throw refusal(path, response.status, await readText(response.body).catch(() => ''));
  }
  return bodyPull(rq, path, boundary, response.body, signal);
}

const pullHeaders = { accept: 'multipart/form-data' };
const pullQuery = (path: string) => ({ action: 'read', path });
const bodyTimeoutMs = 60_000;

/** A connection failure before any answer: the caller retries through the request path. */
class NotConnected extends Error {}

function transferBroke(rq: Requester, path: string, error: unknown): ConnectionError {
  const message = `cannot pull ${path}: the connection to ${rq.socketPath} broke during the transfer`;
  return new ConnectionError(rq.socketPath, message, { cause: error });
}

function pullCallbacks(
  path: string,
  resolve: (output: Readable) => void,
  reject: (error: unknown) => void,
): PullCallbacks {
  return {
    resolve,
    reject,
    checkResponse: (text) => checkResults('pull', envelopeResult(path, text), [path]),
  };
}

/**
 * The fast path: an undici dispatch handler on the client's Agent feeds the parser directly,
 * one stream layer fewer than `request()`'s body (measured in bench/pebble-files).
 */
function dispatchPull(
  rq: Requester,
  dispatcher: Dispatcher,
  path: string,
  signal: AbortSignal | undefined,
): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let stream: PullStream | undefined;
    let refused: { status: number; chunks: Buffer[]; size: number } | undefined;
    const onAbort = (): void => controller?.abort(signal?.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    const source: BodySource = {
      pause: () => controller?.pause(),
      resume: () => controller?.resume(),
      cancel: () => {
        done();
        if (controller && !controller.aborted) controller.abort(new Error('pull cancelled'));
      },
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(signal.reason as Error);
      },
      onResponseStart(_c, statusCode, headers) {
        const contentType = headers['content-type'];
        const boundary = boundaryOf(Array.isArray(contentType) ? contentType[0] : contentType);
        if (statusCode !== 200 || boundary === undefined) {
          refused = { status: statusCode, chunks: [], size: 0 };
        } else {
          stream = new PullStream(path, boundary, source, pullCallbacks(path, resolve, reject));
        }
      },
      onResponseData(_c, chunk) {
        if (stream) {
          stream.write(chunk);
        } else if (refused && refused.size < 64 * 1024) {
          refused.chunks.push(Buffer.from(chunk));
          refused.size += chunk.length;
        }
      },
      onResponseEnd() {
        done();
        if (stream) stream.end();
        else if (refused) {
          const text = Buffer.concat(refused.chunks).toString('utf8');
          reject(refusal(path, refused.status, text));
        }
      },
      onResponseError(_c, error) {
        done();
        if (stream?.settled) return;
        let failure: unknown = error;
        if (signal?.aborted) failure = signal.reason;
        else if (stream)
          failure = error instanceof PebbleError ? error : transferBroke(rq, path, error);
        else if (isConnectionFailure(error)) failure = new NotConnected();
        else {
          const code = (error as { code?: string }).code;
          if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
            failure = new TimeoutError(`cannot GET /v1/files: Pebble did not answer in time`, {
              cause: error,
            });
          }
        }
        if (stream) stream.fail(failure);
        else reject(failure);
      },
    };
    dispatcher.dispatch(
      {
        origin: 'http://localhost',
        path: buildPath('/v1/files', pullQuery(path)),
        method: 'GET',
        headers: pullHeaders,
        headersTimeout: 60_000,
        bodyTimeout: bodyTimeoutMs,
      },
      handler,
    );
  });
}

/** The fallback path: the parser fed from a response body stream (flowing, with pause/resume). */
function bodyPull(
  rq: Requester,
  path: string,
  boundary: string,
  body: Readable,
  signal: AbortSignal | undefined,
): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    const source: BodySource = {
      pause: () => body.pause(),
      resume: () => body.resume(),
      cancel: () => body.destroy(),
    };
    const stream = new PullStream(path, boundary, source, pullCallbacks(path, resolve, reject));
    body.on('data', (chunk: Buffer) => stream.write(chunk));
    body.once('end', () => stream.end());
    body.once('error', (error: unknown) => {
      if (signal?.aborted) stream.fail(signal.reason);
      else stream.fail(error instanceof PebbleError ? error : transferBroke(rq, path, error));
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

function refusal(path: string, status: number, text: string): Error {
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
