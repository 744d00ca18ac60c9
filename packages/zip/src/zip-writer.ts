/**
 * Writing zip archives whose bytes depend only on their entries: sorted by name, fixed
 * times, no extra fields, each entry's Unix mode in its external attributes (made by Unix),
 * so Juju (Go's archive/zip), charmcraft and Info-ZIP `unzip` restore `dispatch` as 0755.
 * @module
 */
import { open } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { ZipError } from './errors.ts';
import {
  centralHeader,
  END_RECORD_SIZE,
  endRecord,
  FLAG_UTF8,
  localHeader,
  MAX_U16,
  MAX_U32,
  withFileType,
} from './zip-format.ts';

/**
 * One entry of an archive, already compressed (or stored). An entry built once can go into
 * many archives: that is how charm-pack deflates the Node.js runtime only once.
 */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading `/`. */
  readonly name: string;
  /**
   * Unix mode: permission bits (0o644, 0o755), with or without file-type bits (0o120777 is a
   * symlink whose target is the data); a mode without type bits is a regular file's.
   */
  readonly mode: number;
  /** 0 = stored, 8 = deflated. */
  readonly method: 0 | 8;
  readonly crc32: number;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** The bytes as they go into the archive (deflated when `method` is 8). */
  readonly data: Buffer;
}

/**
 * Compresses `data` into an entry with raw deflate at level 9, or stores it when deflate would
 * not make it smaller. The same arguments always give the same entry.
 */
export function makeEntry(name: string, data: Buffer, mode = 0o644): ZipEntry {
  const deflated = deflateRawSync(data, { level: 9 });
  const checksum = crc32(data);
  if (deflated.length < data.length) {
    return { name, mode, method: 8, crc32: checksum, size: data.length, data: deflated };
  }
  return { name, mode, method: 0, crc32: checksum, size: data.length, data };
}

/**
 * Writes `entries` as a zip archive at `path`, sorted by name, with fixed timestamps and no
 * directory entries, and returns its size in bytes. Entries are written one by one, never
 * joined in memory.
 *
 * @throws ZipError `INVALID_ENTRY` for an empty, absolute, `..` or directory name, a name given
 *   twice, or an archive that would need Zip64 (an entry or the archive over 4 GiB, more than
 *   65535 entries).
 * @throws Error from `node:fs` when the file cannot be written.
 */
export async function writeZip(path: string, entries: readonly ZipEntry[]): Promise<number> {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  checkNames(sorted);
  if (sorted.length > MAX_U16) {
    throw new ZipError(
      'INVALID_ENTRY',
      `cannot write ${path}: ${sorted.length} entries need Zip64`,
    );
  }
  const handle = await open(path, 'w');
  try {
    let offset = 0;
    const central: Buffer[] = [];
    for (const entry of sorted) {
      if (entry.data.length > MAX_U32 || entry.size > MAX_U32 || offset > MAX_U32) {
        throw new ZipError(
          'INVALID_ENTRY',
          `cannot write ${path}: ${entry.name} needs Zip64 (over 4 GiB)`,
        );
      }
      const header = {
        name: Buffer.from(entry.name, 'utf8'),
        flags: FLAG_UTF8,
        method: entry.method,
        crc32: entry.crc32,
        compressedSize: entry.data.length,
        size: entry.size,
        unixMode: withFileType(entry.mode),
      };
      const local = localHeader(header);
      await handle.write(local);
      await handle.write(entry.data);
      central.push(centralHeader(header, offset));
      offset += local.length + entry.data.length;
    }
    const directory = Buffer.concat(central);
    await handle.write(directory);
    await handle.write(endRecord(sorted.length, directory.length, offset));
    return offset + directory.length + END_RECORD_SIZE;
  } finally {
    await handle.close();
  }
}

function checkNames(sorted: readonly ZipEntry[]): void {
  for (let i = 0; i < sorted.length; i++) {
    const name = (sorted[i] as ZipEntry).name;
    if (
      name === '' ||
      name.startsWith('/') ||
      name.endsWith('/') ||
      name.split('/').includes('..')
    ) {
      throw new ZipError('INVALID_ENTRY', `invalid zip entry name ${JSON.stringify(name)}`);
    }
    if (i > 0 && (sorted[i - 1] as ZipEntry).name === name) {
      throw new ZipError('INVALID_ENTRY', `duplicate zip entry ${JSON.stringify(name)}`);
    }
  }
}
