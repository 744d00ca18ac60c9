import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.ts';
import {
  boundaryOf,
  dispositionParams,
  MultipartParser,
  type PartInfo,
  partialMatchStart,
} from './multipart-reader.ts';
import {
  escapeQuotes,
  type MultipartPart,
  makeBoundary,
  multipartBody,
  multipartContentType,
} from './multipart-writer.ts';

async function bytesOf(parts: readonly MultipartPart[], boundary: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of multipartBody(boundary, parts)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

interface ReadPart {
  name?: string;
  filename?: string;
  headers: Record<string, string>;
  content: string;
}

/** Parses `body` fed in pieces of `size` bytes, as a socket might deliver it. */
function readParts(body: Buffer, boundary: string, size: number): ReadPart[] {
  const parts: ReadPart[] = [];
  let chunks: Buffer[] = [];
  let info: PartInfo | undefined;
  const parser = new MultipartParser(boundary, {
    partBegin(part) {
      info = part;
      chunks = [];
    },
    partData(chunk) {
      expect(info).toBeDefined();
      chunks.push(Buffer.from(chunk));
    },
    partEnd() {
      parts.push({
        ...(info?.name !== undefined ? { name: info.name } : {}),
        ...(info?.filename !== undefined ? { filename: info.filename } : {}),
        headers: info?.headers ?? {},
        content: Buffer.concat(chunks).toString('latin1'),
      });
      info = undefined;
    },
  });
  for (let at = 0; at < body.length; at += size) parser.write(body.subarray(at, at + size));
  parser.end();
  return parts;
}

describe('multipart writer', () => {
  it('makes boundaries of at least 32 characters, unique each time', () => {
    const a = makeBoundary();
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(a).not.toBe(makeBoundary());
    expect(multipartContentType(a)).toBe(`multipart/form-data; boundary=${a}`);
  });

  it('writes the request part first, then the file part, then the closing boundary', async () => {
    const body = await bytesOf(
      [
        { name: 'request', contentType: 'application/json', body: '{"action":"write"}' },
        {
          name: 'files',
          filename: '/etc/x',
          contentType: 'application/octet-stream',
          body: 'DATA',
        },
      ],
      'B'.repeat(32),
    );
    const b = `--${'B'.repeat(32)}`;
    expect(body.toString()).toBe(
      `${b}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="request"\r\n\r\n{"action":"write"}` +
        `\r\n${b}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name="files"; filename="/etc/x"\r\n\r\nDATA` +
        `\r\n${b}--\r\n`,
    );
  });

  it('escapes quotes and backslashes in the filename', () => {
    expect(escapeQuotes('/a "b" \\c')).toBe('/a \\"b\\" \\\\c');
    expect(
      dispositionParams(`form-data; name="files"; filename="${escapeQuotes('/a "b" \\c')}"`),
    ).toEqual({
      name: 'files',
      filename: '/a "b" \\c',
    });
  });

  it('passes a streamed body through without copying it whole', async () => {
    const chunks = [Buffer.from('one'), Buffer.from('two')];
    const seen: Buffer[] = [];
    for await (const chunk of multipartBody('X'.repeat(32), [
      {
        name: 'files',
        filename: '/f',
        contentType: 'application/octet-stream',
        body: (async function* () {
          yield* chunks;
        })(),
      },
    ])) {
      seen.push(chunk);
    }
    expect(seen).toContain(chunks[0]);
    expect(seen).toContain(chunks[1]);
  });
});

describe('multipart reader', () => {
  const boundary = 'b0undary-with-32-or-more-characters-in-it';
  const tricky = `x\r\n--${boundary.slice(0, 10)}\r\n--${boundary}-not-quite\r--\r\n-`;
  const parts: MultipartPart[] = [
    {
      name: 'files',
      filename: '/a "quoted" path',
      contentType: 'application/octet-stream',
      body: tricky,
    },
    { name: 'files', filename: '/empty', contentType: 'application/octet-stream', body: '' },
    { name: 'response', contentType: 'application/json', body: '{"type":"sync"}' },
  ];

  it('reads every part back, whatever the chunking', async () => {
    const body = await bytesOf(parts, boundary);
    for (const size of [1, 2, 3, 5, 7, 13, 41, 42, 43, 64, 100, body.length]) {
      const read = readParts(body, boundary, size);
      expect(
        read.map(({ headers: _, ...rest }) => rest),
        `chunks of ${size}`,
      ).toEqual([
        { name: 'files', filename: '/a "quoted" path', content: tricky },
        { name: 'files', filename: '/empty', content: '' },
        { name: 'response', content: '{"type":"sync"}' },
      ]);
      expect(read[2]?.headers['content-type']).toBe('application/json');
    }
  });

  it('ignores a preamble and an epilogue', async () => {
    const body = Buffer.concat([
      Buffer.from('preamble\r\n'),
      await bytesOf(parts, boundary),
      Buffer.from('epilogue'),
    ]);
    expect(readParts(body, boundary, 9).map((p) => p.name)).toEqual(['files', 'files', 'response']);
  });

  it('reads a part without headers', () => {
    const body = Buffer.from(`--${boundary}\r\n\r\nbare\r\n--${boundary}--\r\n`);
    expect(readParts(body, boundary, 4)).toEqual([{ headers: {}, content: 'bare' }]);
  });

  it('throws ProtocolError for a body cut short or a malformed header', async () => {
    const body = await bytesOf(parts, boundary);
    for (const end of [20, 150, 200, body.length - 3]) {
      expect(() => readParts(body.subarray(0, end), boundary, 16), `cut at ${end}`).toThrow(
        ProtocolError,
      );
    }
    const bad = Buffer.from(`--${boundary}\r\nno colon here\r\n\r\nx\r\n--${boundary}--`);
    expect(() => readParts(bad, boundary, 8)).toThrow(/bad header line/);
  });

  it('finds where a partial delimiter may start', () => {
    const delimiter = Buffer.from('\r\n--abc');
    expect(partialMatchStart(Buffer.from('hello'), delimiter)).toBe(5);
    expect(partialMatchStart(Buffer.from('hello\r'), delimiter)).toBe(5);
    expect(partialMatchStart(Buffer.from('hello\r\n--a'), delimiter)).toBe(5);
    expect(partialMatchStart(Buffer.from('hello\r\n-x'), delimiter)).toBe(9);
    expect(partialMatchStart(Buffer.from('\r\r\n'), delimiter)).toBe(1);
  });

  it('reads the boundary from a Content-Type header', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeUndefined();
    expect(boundaryOf(undefined)).toBeUndefined();
  });
});
