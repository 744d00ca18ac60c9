import { open } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { PackError } from '../errors.ts';

/**
 * One file of a zip archive, already compressed (or stored). Entries built once can be reused
 * across archives: that is how the Node.js runtime is compressed only once.
 */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading `/`. */
  name: string;
  /** Unix permission bits, e.g. 0o644 or 0o755. */
  mode: number;
  /** 0 = stored, 8 = deflated. */
  method: 0 | 8;
  crc32: number;
  /** Uncompressed size in bytes. */
  size: number;
  /** The bytes as they go into the archive (deflated when `method` is 8). */
  data: Buffer;
}

// 1980-01-01 00:00:00, the earliest MS-DOS time: every entry gets it, so that the same
// inputs give the same bytes whatever the files' modification times.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
// "Version made by": high byte 3 = Unix, so readers (Go's archive/zip in Juju, Info-ZIP)
// honour the mode in the external attributes; low byte 20 = spec 2.0.
const MADE_BY = (3 << 8) | 20;
const VERSION_NEEDED = 20;
// Bit 11: names are UTF-8.
const FLAGS = 0x0800;
const MAX_U32 = 0xffffffff;

/**
 * Compresses `data` into a zip entry with raw deflate, or stores it when deflate would not
 * make it smaller.
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
 * Writes `entries` as a zip archive at `path`, sorted by name, with fixed timestamps, no
 * directory entries and each entry's Unix mode in its external attributes.
 *
 * @throws PackError `ZIP` on a duplicate or invalid name, or an archive that would need
 *   Zip64 (an entry or the archive over 4 GiB, more than 65535 entries).
 * @throws Error from `node:fs` when the file cannot be written.
 */
export async function writeZip(path: string, entries: readonly ZipEntry[]): Promise<number> {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  checkNames(sorted);
  if (sorted.length > 0xffff) {
    throw new PackError('ZIP', `cannot write ${path}: ${sorted.length} entries need Zip64`);
  }
  const handle = await open(path, 'w');
  try {
    let offset = 0;
    const central: Buffer[] = [];
    for (const entry of sorted) {
      const name = Buffer.from(entry.name, 'utf8');
      if (entry.data.length > MAX_U32 || entry.size > MAX_U32 || offset > MAX_U32) {
        throw new PackError('ZIP', `cannot write ${path}: ${entry.name} needs Zip64 (over 4 GiB)`);
      }
      const local = localHeader(entry, name);
      await handle.write(local);
      await handle.write(entry.data);
      central.push(centralHeader(entry, name, offset));
      offset += local.length + entry.data.length;
    }
    const directory = Buffer.concat(central);
    await handle.write(directory);
    await handle.write(endOfCentralDirectory(sorted.length, directory.length, offset));
    return offset + directory.length + 22;
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
      throw new PackError('ZIP', `invalid zip entry name ${JSON.stringify(name)}`);
    }
    if (i > 0 && (sorted[i - 1] as ZipEntry).name === name) {
      throw new PackError('ZIP', `duplicate zip entry ${JSON.stringify(name)}`);
    }
  }
}

function localHeader(entry: ZipEntry, name: Buffer): Buffer {
  const header = Buffer.alloc(30 + name.length);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(FLAGS, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(entry.crc32 >>> 0, 14);
  header.writeUInt32LE(entry.data.length, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  name.copy(header, 30);
  return header;
}

function centralHeader(entry: ZipEntry, name: Buffer, offset: number): Buffer {
  const header = Buffer.alloc(46 + name.length);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(FLAGS, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(entry.crc32 >>> 0, 16);
  header.writeUInt32LE(entry.data.length, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(name.length, 28);
  // extra length, comment length, disk number start, internal attributes: all 0
  // External attributes: S_IFREG | mode in the high 16 bits (Unix "made by").
  header.writeUInt32LE(((0o100000 | (entry.mode & 0o7777)) << 16) >>> 0, 38);
  header.writeUInt32LE(offset, 42);
  name.copy(header, 46);
  return header;
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(offset, 16);
  return record;
}
