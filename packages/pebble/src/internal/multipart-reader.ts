/**
 * A streaming `multipart/form-data` parser for `GET /v1/files?action=read`. It is fed the
 * response body chunk by chunk (push style, so the body can stay in flowing mode, the
 * cheapest way to read a socket in Node) and hands each part's content on as views of the
 * received chunks: a file of any size passes through in constant memory.
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

/** What the parser reports. A callback may throw; the error comes out of `write`/`end`. */
export interface MultipartHandler {
  partBegin(info: PartInfo): void;
  /** A piece of the current part's content: a view, valid for as long as the caller keeps it. */
  partData(chunk: Buffer): void;
  partEnd(): void;
}

const maxHeaderBytes = 16 * 1024;
const maxBoundaryLineBytes = 1024;
const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const empty = Buffer.alloc(0);

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

/** A push parser of one multipart body. */
export class MultipartParser {
  readonly #handler: MultipartHandler;
  readonly #delimiter: Buffer;
  // A virtual CRLF in front, so the first boundary line looks like every later delimiter.
  #pending: Buffer = Buffer.from('\r\n');
  #state: 'preamble' | 'boundary-line' | 'headers' | 'body' | 'done' = 'preamble';

  constructor(boundary: string, handler: MultipartHandler) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
    this.#handler = handler;
  }

  /** True once the closing boundary was read. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /** Feeds the next chunk. Throws ProtocolError for a malformed body, or a handler's error. */
  write(chunk: Buffer): void {
    let data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = empty;
    while (data.length > 0) {
      switch (this.#state) {
        case 'done':
          return; // The epilogue, if any, means nothing.
        case 'preamble':
        case 'body': {
          const rest = this.#scan(data);
          if (rest === undefined) return;
          data = rest;
          break;
        }
        case 'boundary-line': {
          const end = data.indexOf(CRLF);
          if (end < 0) {
            this.#wait(data, maxBoundaryLineBytes, 'boundary line');
            return;
          }
          data = data.subarray(end + 2);
          this.#state = 'headers';
          break;
        }
        case 'headers': {
          if (data.length < 2) {
            this.#wait(data, maxHeaderBytes, 'part header');
            return;
          }
          const end = data[0] === CR && data[1] === LF ? -2 : data.indexOf(CRLFCRLF);
          if (end === -1) {
            this.#wait(data, maxHeaderBytes, 'part header');
            return;
          }
          const info = end === -2 ? partInfo('') : partInfo(data.subarray(0, end).toString('utf8'));
          data = data.subarray(end + 4);
          this.#state = 'body';
          this.#handler.partBegin(info);
          break;
        }
      }
    }
  }

  /** Declares the body complete. Throws ProtocolError when it ended before the closing boundary. */
  end(): void {
    if (this.#state !== 'done') {
      throw new ProtocolError('multipart: the body ended before the closing boundary');
    }
  }

  /**
   * Looks for the next delimiter in `data`, handing content before it to the handler (in the
   * body state). Returns what follows the delimiter, or undefined when more data is needed.
   */
  #scan(data: Buffer): Buffer | undefined {
    const delimiter = this.#delimiter;
    const inBody = this.#state === 'body';
    let from = 0;
    for (;;) {
      const index = data.indexOf(delimiter, from);
      if (index < 0) {
        const keep = Math.max(from, partialMatchStart(data, delimiter));
        // The common case in a large file: the whole chunk is content, handed on as it is.
        if (keep === data.length) {
          if (inBody) this.#handler.partData(data);
          return undefined;
        }
        if (inBody && keep > 0) this.#handler.partData(data.subarray(0, keep));
        // A copy: a view would pin the whole received chunk for a few bytes.
        this.#pending = Buffer.from(data.subarray(keep));
        return undefined;
      }
      const after = index + delimiter.length;
      if (data.length < after + 2) {
        if (inBody && index > 0) this.#handler.partData(data.subarray(0, index));
        this.#pending = Buffer.from(data.subarray(index));
        return undefined;
      }
      const c = data[after];
      const closing = c === DASH && data[after + 1] === DASH;
      // `--boundary` must be followed by `--`, CR, LF, space or tab; `--boundary-x` is content
      // (Go's reader agrees).
      if (!closing && c !== CR && c !== LF && c !== 0x20 && c !== 0x09) {
        from = index + 1;
        continue;
      }
      if (inBody) {
        if (index > 0) this.#handler.partData(data.subarray(0, index));
        this.#handler.partEnd();
      }
      this.#state = closing ? 'done' : 'boundary-line';
      return data.subarray(after);
    }
  }

  #wait(data: Buffer, limit: number, what: string): void {
    if (data.length > limit)
      throw new ProtocolError(`multipart: ${what} longer than ${limit} bytes`);
    this.#pending = Buffer.from(data);
  }
}

function partInfo(text: string): PartInfo {
  const headers: Record<string, string> = {};
  for (const line of text ? text.split('\r\n') : []) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ProtocolError(`multipart: bad header line ${JSON.stringify(line)}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const params = dispositionParams(headers['content-disposition'] ?? '');
  return { headers, name: params.name, filename: params.filename };
}

/**
 * Where a possible partial delimiter starts at the end of `buffer` (its length when none):
 * bytes before it can be handed out; bytes after it must wait for more data.
 */
export function partialMatchStart(buffer: Buffer, delimiter: Buffer): number {
  const length = buffer.length;
  const first = delimiter[0] ?? CR;
  let at = buffer.indexOf(first, Math.max(0, length - delimiter.length + 1));
  while (at !== -1) {
    if (buffer.compare(delimiter, 0, length - at, at, length) === 0) return at;
    at = buffer.indexOf(first, at + 1);
  }
  return length;
}
