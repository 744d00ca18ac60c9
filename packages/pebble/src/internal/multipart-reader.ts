/**
 * A streaming `multipart/form-data` reader for `GET /v1/files?action=read`. Parts are read
 * one at a time straight off the response body; a part's content is yielded chunk by chunk as
 * views of the received buffers, so a file of any size passes through in constant memory.
 * @module
 */
import { ProtocolError } from '../errors.ts';

/** The headers of one part, with the `Content-Disposition` parameters picked out. */
export interface PartInfo {
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The form field name (`files` or `response` from Pebble). */
  name: string | undefined;
  /** The `filename` parameter, unescaped. */
  filename: string | undefined;
}

const maxHeaderBytes = 16 * 1024;
const CR = 0x0d;

/** Reads the `boundary` parameter from a `Content-Type` header; undefined when absent. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\//i.test(contentType.trim())) return undefined;
  return dispositionParams(contentType).boundary;
}

/** Parses `; key=value` / `; key="quoted \"value\""` parameters of a header. */
export function dispositionParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (const match of header.matchAll(re)) {
    const key = (match[1] ?? '').toLowerCase();
    const quoted = match[2];
    params[key] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return params;
}

/** Pulls parts off a multipart stream in order. Not safe for concurrent use. */
export class MultipartReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #delimiter: Buffer;
  // A virtual CRLF in front, so the first boundary line looks like every later delimiter.
  #buffer: Buffer = Buffer.from('\r\n');
  #state: 'preamble' | 'headers' | 'body' | 'after-body' | 'done' = 'preamble';

  constructor(source: AsyncIterable<Uint8Array>, boundary: string) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /**
   * Moves to the next part, skipping whatever is left of the current one. Returns its headers,
   * or null after the closing boundary. Throws ProtocolError on a malformed or truncated body.
   */
  async next(): Promise<PartInfo | null> {
    if (this.#state === 'done') return null;
    if (this.#state === 'body' || this.#state === 'preamble') {
      for await (const _ of this.#content()) {
        // Skipped: the caller did not want the rest of this part (or the preamble).
      }
    }
    // Just after a delimiter: `--` closes the body, CRLF starts a part's headers.
    await this.#need(2);
    if (this.#buffer[0] === 0x2d && this.#buffer[1] === 0x2d) {
      this.#state = 'done';
      return null;
    }
    const lineEnd = await this.#find(Buffer.from('\r\n'), 1024);
    this.#buffer = this.#buffer.subarray(lineEnd + 2);
    this.#state = 'headers';
    const info = await this.#headers();
    this.#state = 'body';
    return info;
  }

  /**
   * The content of the current part, up to the next delimiter. Each chunk is a view of the
   * received data; nothing is accumulated beyond one partial delimiter.
   */
  content(): AsyncGenerator<Buffer> {
    if (this.#state !== 'body') throw new ProtocolError('multipart: no part is open for reading');
    return this.#content();
  }

  /** Reads the current part whole, as UTF-8 (for small JSON parts only). */
  async text(limit = 1024 * 1024): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.content()) {
      size += chunk.length;
      if (size > limit) throw new ProtocolError(`multipart: part larger than ${limit} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Stops reading and releases the source. */
  async close(): Promise<void> {
    this.#state = 'done';
    await this.#iterator.return?.();
  }

  async *#content(): AsyncGenerator<Buffer> {
    const delimiter = this.#delimiter;
    let from = 0;
    for (;;) {
      const index = this.#buffer.indexOf(delimiter, from);
      if (index >= 0) {
        // Two bytes after the delimiter decide: `--`, CR, LF, space or tab end the part;
        // anything else (`--boundary-x`) is content, as Go's reader treats it.
        const after = index + delimiter.length;
        if (this.#buffer.length < after + 2) {
          if (!(await this.#fill())) throw truncated();
          continue;
        }
        const c = this.#buffer[after];
        const isEnd =
          (c === 0x2d && this.#buffer[after + 1] === 0x2d) ||
          c === CR ||
          c === 0x0a ||
          c === 0x20 ||
          c === 0x09;
        if (!isEnd) {
          from = index + 1;
          continue;
        }
        const chunk = this.#buffer.subarray(0, index);
        this.#buffer = this.#buffer.subarray(after);
        this.#state = 'after-body';
        if (chunk.length > 0) yield chunk;
        return;
      }
      const keep = Math.max(from, partialMatchStart(this.#buffer, delimiter));
      if (keep > 0) {
        const chunk = this.#buffer.subarray(0, keep);
        this.#buffer = this.#buffer.subarray(keep);
        yield chunk;
      }
      from = 0;
      if (!(await this.#fill())) throw truncated();
    }
  }

  async #headers(): Promise<PartInfo> {
    const headers: Record<string, string> = {};
    if (!(this.#buffer.length >= 2 && this.#buffer[0] === CR && this.#buffer[1] === 0x0a)) {
      const end = await this.#find(Buffer.from('\r\n\r\n'), maxHeaderBytes);
      const text = this.#buffer.subarray(0, end).toString('utf8');
      this.#buffer = this.#buffer.subarray(end + 2);
      for (const line of text.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0)
          throw new ProtocolError(`multipart: bad header line ${JSON.stringify(line)}`);
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    } else {
      await this.#need(2);
    }
    this.#buffer = this.#buffer.subarray(2);
    const params = dispositionParams(headers['content-disposition'] ?? '');
    return { headers, name: params.name, filename: params.filename };
  }

  /** Index of `needle` in the buffer, reading more as needed (at most `limit` bytes ahead). */
  async #find(needle: Buffer, limit: number): Promise<number> {
    for (;;) {
      const index = this.#buffer.indexOf(needle);
      if (index >= 0) return index;
      if (this.#buffer.length > limit) {
        throw new ProtocolError(
          `multipart: no ${JSON.stringify(needle.toString())} within ${limit} bytes`,
        );
      }
      if (!(await this.#fill()))
        throw new ProtocolError('multipart: the body ended inside a header');
    }
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (!(await this.#fill())) throw new ProtocolError('multipart: the body ended too early');
    }
  }

  async #fill(): Promise<boolean> {
    const { value, done } = await this.#iterator.next();
    if (done) return false;
    const chunk = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    return true;
  }
}

function truncated(): ProtocolError {
  return new ProtocolError('multipart: the body ended before the closing boundary');
}

/**
 * Where a possible partial delimiter starts at the end of `buffer` (its length when none):
 * bytes before it can be handed out; bytes after it must wait for more data.
 */
export function partialMatchStart(buffer: Buffer, delimiter: Buffer): number {
  const length = buffer.length;
  let at = buffer.indexOf(delimiter[0] ?? CR, Math.max(0, length - delimiter.length + 1));
  while (at !== -1) {
    if (buffer.compare(delimiter, 0, length - at, at, length) === 0) return at;
    at = buffer.indexOf(delimiter[0] ?? CR, at + 1);
  }
  return length;
}
