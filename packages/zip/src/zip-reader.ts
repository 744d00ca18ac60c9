/**
 * Reading a zip archive held in memory, strictly and within limits: the central directory is
 * checked against the archive's bounds, every entry's declared size counts against a total
 * before anything is inflated, inflating stops one byte past the declared size (a zip bomb
 * costs at most the limit), and sizes and CRC-32 are checked. Anything it does not understand
 * is refused, never guessed. What an entry's name or type may be is the caller's policy
 * (charm-sim's safe-extract.ts, hello-kubecon's site-archive.ts): this reader only reports it.
 * @module
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { ZipError } from './errors.ts';
import {
  CENTRAL_HEADER_SIZE,
  CENTRAL_SIGNATURE,
  END_RECORD_SIZE,
  END_SIGNATURE,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  HOST_UNIX,
  LOCAL_HEADER_SIZE,
  LOCAL_SIGNATURE,
  MAX_COMMENT,
  MAX_U16,
  MAX_U32,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
} from './zip-format.ts';

/** What an entry is: its Unix file type, or a directory by its trailing `/`. */
export type ZipEntryType = 'file' | 'directory' | 'symlink' | 'special';

/** One entry read back, inflated and checked. */
export interface ZipFile {
  /** The name as stored (UTF-8, or code page 437 read as Latin-1 without flag bit 11). */
  readonly name: string;
  readonly type: ZipEntryType;
  /** Permission bits (e.g. 0o755), or undefined when the archive recorded no Unix mode. */
  readonly mode: number | undefined;
  /** The whole Unix mode, file type included; 0 when the archive recorded none. */
  readonly unixMode: number;
  /** Host system from "version made by" (3 = Unix, 0 = MS-DOS). */
  readonly madeBy: number;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  /** The raw MS-DOS time and date fields of the central directory entry. */
  readonly dosTime: number;
  readonly dosDate: number;
  /** A file's contents or a symlink's target; empty for a directory. */
  readonly data: Buffer;
}

/** Limits of {@link readZip}. */
export interface ZipLimits {
  /** Optional: most entries in the archive. Default 65 535 (all an archive without Zip64 has). */
  readonly maxEntries?: number;
  /** Optional: most bytes once inflated, all entries together. Default 1 GiB. */
  readonly maxTotalBytes?: number;
}

/**
 * Reads every entry of the zip archive in `archive`.
 * @throws ZipError `NOT_A_ZIP` (no end of central directory record), `CORRUPT` (truncated,
 * overlapping records, a wrong size or CRC-32, data that does not inflate), `UNSUPPORTED`
 * (encryption, Zip64, several disks, a method other than stored and deflate), `TOO_LARGE`
 * (more entries or inflated bytes than `limits` allow).
 */
export function readZip(archive: Buffer, limits: ZipLimits = {}): ZipFile[] {
  const maxEntries = limits.maxEntries ?? MAX_U16;
  const maxTotal = limits.maxTotalBytes ?? 1024 * 1024 * 1024;
  const end = findEndRecord(archive);
  const count = archive.readUInt16LE(end + 10);
  const size = archive.readUInt32LE(end + 12);
  const offset = archive.readUInt32LE(end + 16);
  if (archive.readUInt16LE(end + 4) !== 0 || archive.readUInt16LE(end + 6) !== 0) {
    throw new ZipError('UNSUPPORTED', 'the archive spans several disks');
  }
  if (count === MAX_U16 || size === MAX_U32 || offset === MAX_U32) {
    throw new ZipError('UNSUPPORTED', 'the archive is Zip64 (over 4 GiB or 65535 entries)');
  }
  if (count > maxEntries) {
    throw new ZipError('TOO_LARGE', `the archive has ${count} entries, more than ${maxEntries}`);
  }
  if (offset + size > end) corrupt('the central directory overlaps its end record');

  const files: ZipFile[] = [];
  let total = 0;
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_HEADER_SIZE > end || archive.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      corrupt(`central directory entry ${i + 1} of ${count} is missing`);
    }
    const madeBy = archive.readUInt16LE(at + 4) >> 8;
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const dosTime = archive.readUInt16LE(at + 12);
    const dosDate = archive.readUInt16LE(at + 14);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const inflated = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const external = archive.readUInt32LE(at + 38);
    const local = archive.readUInt32LE(at + 42);
    const rawName = archive.subarray(
      at + CENTRAL_HEADER_SIZE,
      at + CENTRAL_HEADER_SIZE + nameLength,
    );
    at += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (at > end) corrupt(`central directory entry ${i + 1} runs past its end`);
    const name = rawName.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
    const unixMode = madeBy === HOST_UNIX ? external >>> 16 : 0;
    const type = entryType(name, unixMode);
    const entry = {
      name,
      type,
      mode: unixMode ? unixMode & 0o7777 : undefined,
      unixMode,
      madeBy,
      method,
      dosTime,
      dosDate,
    };
    if (type === 'directory') {
      files.push({ ...entry, data: Buffer.alloc(0) });
      continue;
    }
    const shown = JSON.stringify(name);
    if (flags & FLAG_ENCRYPTED) throw new ZipError('UNSUPPORTED', `entry ${shown} is encrypted`);
    if (method !== 0 && method !== 8) {
      throw new ZipError(
        'UNSUPPORTED',
        `entry ${shown} uses compression method ${method}: only stored and deflate are read`,
      );
    }
    if (compressed === MAX_U32 || inflated === MAX_U32) {
      throw new ZipError('UNSUPPORTED', `entry ${shown} is Zip64`);
    }
    total += inflated;
    if (total > maxTotal) {
      throw new ZipError('TOO_LARGE', `the archive inflates to more than ${maxTotal} bytes`);
    }
    const data = inflate(entryData(archive, local, compressed, offset, shown), entry, inflated);
    if (crc32(data) >>> 0 !== crc >>> 0) corrupt(`${shown} fails its CRC-32 check`);
    files.push({ ...entry, data });
  }
  return files;
}

function corrupt(detail: string): never {
  throw new ZipError('CORRUPT', detail);
}

function entryType(name: string, unixMode: number): ZipEntryType {
  const type = unixMode & S_IFMT;
  if (type === S_IFDIR || (name.endsWith('/') && (type === 0 || type === S_IFREG))) {
    return 'directory';
  }
  if (type === S_IFLNK) return 'symlink';
  if (type === 0 || type === S_IFREG) return 'file';
  return 'special';
}

function findEndRecord(archive: Buffer): number {
  // The end record is 22 bytes and a comment that must reach the archive's last byte exactly.
  const lowest = Math.max(0, archive.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = archive.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (
      archive.readUInt32LE(at) === END_SIGNATURE &&
      at + END_RECORD_SIZE + archive.readUInt16LE(at + 20) === archive.length
    ) {
      return at;
    }
  }
  throw new ZipError('NOT_A_ZIP', 'not a zip file (no end of central directory)');
}

function entryData(
  archive: Buffer,
  local: number,
  size: number,
  limit: number,
  shown: string,
): Buffer {
  if (local + LOCAL_HEADER_SIZE > limit || archive.readUInt32LE(local) !== LOCAL_SIGNATURE) {
    corrupt(`the local header of ${shown} is missing`);
  }
  const start =
    local + LOCAL_HEADER_SIZE + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
  if (start + size > limit) corrupt(`the data of ${shown} runs past the central directory`);
  return archive.subarray(start, start + size);
}

function inflate(data: Buffer, entry: { name: string; method: number }, size: number): Buffer {
  const shown = JSON.stringify(entry.name);
  let out: Buffer;
  if (entry.method === 0) {
    out = Buffer.from(data);
  } else {
    try {
      // One byte of room: an entry that inflates past its declared size is caught, not trusted.
      out = inflateRawSync(data, { maxOutputLength: size + 1 });
    } catch (error) {
      throw new ZipError('CORRUPT', `cannot inflate ${shown}`, { cause: error });
    }
  }
  if (out.length !== size) corrupt(`${shown} is ${out.length} bytes, the archive says ${size}`);
  return out;
}
