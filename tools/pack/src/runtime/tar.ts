import { PackError } from '../errors.ts';

/** The header fields of one tar entry that the runtime extraction needs. */
export interface TarHeader {
  /** Full path, with the ustar prefix joined in. */
  name: string;
  mode: number;
  size: number;
  /** '0' (or NUL) regular file, '5' directory, '2' symlink, … */
  type: string;
}

/**
 * Reads the ustar/GNU tar stream `source` (already gunzipped) and returns the contents of
 * the regular files whose names are in `wanted`, without holding anything else in memory.
 *
 * @throws PackError `RUNTIME` when the stream ends inside an entry or a header is corrupt.
 */
export async function extractFiles(
  source: AsyncIterable<Buffer>,
  wanted: ReadonlySet<string>,
): Promise<Map<string, { header: TarHeader; data: Buffer }>> {
  const found = new Map<string, { header: TarHeader; data: Buffer }>();
  let pending: Buffer = Buffer.alloc(0);
  // Per-entry state: bytes of body still to read, padding to skip, and where to put them.
  let header: TarHeader | undefined;
  let remaining = 0;
  let padding = 0;
  let parts: Buffer[] | undefined;
  let longName: string | undefined;
  let longNameParts: Buffer[] | undefined;

  for await (const chunk of source) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (header) {
        const take = Math.min(remaining, pending.length);
        if (take > 0) {
          const body = pending.subarray(0, take);
          parts?.push(Buffer.from(body));
          longNameParts?.push(Buffer.from(body));
          pending = pending.subarray(take);
          remaining -= take;
        }
        if (remaining > 0) break;
        const skip = Math.min(padding, pending.length);
        pending = pending.subarray(skip);
        padding -= skip;
        if (padding > 0) break;
        if (longNameParts) {
          longName = Buffer.concat(longNameParts).toString('utf8').replace(/\0+$/, '');
          longNameParts = undefined;
        } else if (parts) {
          found.set(header.name, { header, data: Buffer.concat(parts) });
          parts = undefined;
        }
        header = undefined;
        continue;
      }
      if (pending.length < 512) break;
      const block = pending.subarray(0, 512);
      pending = pending.subarray(512);
      if (block.every((byte) => byte === 0)) continue;
      header = parseHeader(block, longName);
      remaining = header.size;
      padding = (512 - (header.size % 512)) % 512;
      if (header.type === 'L') {
        longNameParts = [];
      } else {
        longName = undefined;
        if ((header.type === '0' || header.type === '\0') && wanted.has(header.name)) parts = [];
      }
    }
  }
  if (header) throw new PackError('RUNTIME', `tar stream ends inside ${header.name}`);
  return found;
}

function parseHeader(block: Buffer, longName: string | undefined): TarHeader {
  const stored = octal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] as number);
  if (stored !== sum) throw new PackError('RUNTIME', 'corrupt tar header (checksum mismatch)');
  const name = text(block, 0, 100);
  const prefix = block.toString('latin1', 257, 263) === 'ustar\u0000' ? text(block, 345, 155) : '';
  return {
    name: longName ?? (prefix ? `${prefix}/${name}` : name),
    mode: octal(block, 100, 8),
    size: octal(block, 124, 12),
    type: String.fromCharCode(block[156] as number),
  };
}

function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function octal(block: Buffer, start: number, length: number): number {
  const field = text(block, start, length).trim();
  return field === '' ? 0 : Number.parseInt(field, 8);
}
