/**
 * A streaming `multipart/form-data` body for `POST /v1/files`: the parts are produced lazily
 * as an async iterable, so a file's bytes are never held in memory at once.
 * @module
 */
/** One part of a multipart body. */
export interface MultipartPart {
  /** The form field name (`request`, `files`). */
  name: string;
  /** Optional: the `filename` parameter; quotes and backslashes are escaped. */
  filename?: string;
  contentType: string;
  /** The part's content: bytes, text, or a stream of them. */
  body: string | Uint8Array | AsyncIterable<Uint8Array | string>;
}

/**
 * A fresh boundary of 64 hex characters. Pebble refuses boundaries shorter than 32; random
 * bytes make a collision with file content practically impossible. The global Web Crypto
 * object is loaded on first use: a static `node:crypto` import would cost every hook that
 * loads the client ~10 ms (bench/dispatch), pushing files or not.
 */
export function makeBoundary(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('hex');
}

/** The `Content-Type` header value for a body with this boundary. */
export function multipartContentType(boundary: string): string {
  return `multipart/form-data; boundary=${boundary}`;
}

/** Escapes a header parameter value the way Go's `mime/multipart` reads it back. */
export function escapeQuotes(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

function partHeader(boundary: string, part: MultipartPart, first: boolean): Buffer {
  const disposition =
    part.filename === undefined
      ? `form-data; name="${escapeQuotes(part.name)}"`
      : `form-data; name="${escapeQuotes(part.name)}"; filename="${escapeQuotes(part.filename)}"`;
  return Buffer.from(
    `${first ? '' : '\r\n'}--${boundary}\r\n` +
      `Content-Type: ${part.contentType}\r\n` +
      `Content-Disposition: ${disposition}\r\n\r\n`,
  );
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Yields the whole multipart body, part by part. Streamed part bodies are passed through
 * chunk by chunk (with backpressure: the next chunk is pulled only when the consumer asks).
 * A `Uint8Array` part body is yielded as a view, never copied.
 */
export async function* multipartBody(
  boundary: string,
  parts: readonly MultipartPart[],
): AsyncGenerator<Buffer> {
  let first = true;
  for (const part of parts) {
    yield partHeader(boundary, part, first);
    first = false;
    const body = part.body;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const bytes = toBuffer(body);
      if (bytes.length > 0) yield bytes;
      continue;
    }
    for await (const chunk of body) {
      const bytes = toBuffer(chunk);
      if (bytes.length > 0) yield bytes;
    }
  }
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}
