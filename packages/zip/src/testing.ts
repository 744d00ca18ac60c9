/**
 * `@charm-ts/zip/testing`: archives as a test describes them, written exactly as given: in
 * that order, names unchecked, any mode, method, flags or CRC-32. That is how the readers'
 * refusals are tested (`../` names, symlinks, special files, wrong checksums, encryption
 * flags, unknown methods) with the same header layout the real writer uses.
 * @module
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { centralHeader, endRecord, FLAG_UTF8, localHeader, withFileType } from './zip-format.ts';

/** One entry of {@link craftZip}, by its contents. */
export interface CraftedEntry {
  readonly name: string;
  /** Optional: the contents (a symlink's target). Default empty. */
  readonly data?: string | Uint8Array;
  /**
   * Optional: Unix mode, permission bits with or without file-type bits (0o120777 a symlink,
   * 0o040755 a directory, 0o010644 a FIFO). Default 0o644, a regular file. `null`: no Unix
   * attributes at all (an entry "made by" MS-DOS).
   */
  readonly mode?: number | null;
  /** Optional: 0 stored, 8 deflated; any other number is written as is. Default 8. */
  readonly method?: number;
  /** Optional: a CRC-32 to write instead of the right one. */
  readonly crc32?: number;
  /** Optional: general purpose flags. Default 0x800 (UTF-8 names). */
  readonly flags?: number;
}

/** The bytes of a zip archive holding `entries` in the order given. */
export function craftZip(entries: readonly CraftedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = Buffer.from(entry.data ?? '');
    const method = entry.method ?? 8;
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const header = {
      name: Buffer.from(entry.name, 'utf8'),
      flags: entry.flags ?? FLAG_UTF8,
      method,
      crc32: entry.crc32 ?? crc32(raw),
      compressedSize: data.length,
      size: raw.length,
      unixMode: entry.mode === null ? undefined : withFileType(entry.mode ?? 0o644),
    };
    const local = localHeader(header);
    parts.push(local, data);
    central.push(centralHeader(header, offset));
    offset += local.length + data.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...parts, directory, endRecord(entries.length, directory.length, offset)]);
}
