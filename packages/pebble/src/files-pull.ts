/**
 * Pulling a file as a stream: a multipart download parsed as it arrives, through an undici
 * dispatch handler on the client's Agent (or, after a connection failure, through the request
 * path's retries), ending only once Pebble confirmed the whole file was read.
 * @module
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { ConnectionError, PebbleError, TimeoutError } from './errors.ts';
import { checkResults, envelopeResult, refusal } from './internal/files-wire.ts';
import { type BodySource, type PullCallbacks, PullStream } from './internal/multipart-pull.ts';
import { boundaryOf } from './internal/multipart-reader.ts';
import { buildPath, isConnectionFailure, type Requester, readText } from './internal/requester.ts';
import type { PullOptions } from './types.ts';

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
