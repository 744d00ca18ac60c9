/**
 * Pushing a file: its contents streamed as the file part of a multipart body, so nothing is
 * buffered whole.
 * @module
 */

import { checkResults, ownershipWire } from './internal/files-wire.ts';
import { makeBoundary, multipartBody, multipartContentType } from './internal/multipart-writer.ts';
import type { Requester } from './internal/requester.ts';
import type { PushOptions, PushSource } from './types.ts';

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
