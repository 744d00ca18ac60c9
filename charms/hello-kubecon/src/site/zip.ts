/**
 * A small, strict zip reader for site archives: it reads the central directory, checks every
 * entry (paths that stay inside the site, regular files only, declared sizes, CRC-32) and
 * inflates with node:zlib. Anything it does not understand is refused, never guessed.
 * @module
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { SiteError } from '../errors.ts';

/** One file of the archive, inflated and checked. */
export interface ZipFile {
  /** `/`-separated, relative, normalised (no `.`, `..` or empty segments). */
  readonly path: string;
  readonly data: Buffer;
}

/** Limits of {@link readZip}. */
export interface ZipLimits {
  /** Optional: most files in the archive. Default 10 000. */
  readonly maxEntries?: number;
  /** Optional: most bytes once inflated, all files together. Default 256 MiB. */
  readonly maxTotalBytes?: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UNIX = 3;

/**
 * Reads every regular file of the zip archive in `archive`.
 * Throws `SiteError`: `CORRUPT` (not a zip, truncated, bad sizes or CRC, duplicates),
 * `UNSAFE` (an absolute or `..` path, a symlink or special file), `UNSUPPORTED` (encryption,
 * Zip64, multi-disk, a compression method other than stored/deflate), `TOO_LARGE`.
 */
export function readZip(archive: Buffer, limits: ZipLimits = {}): ZipFile[] {
  const maxEntries = limits.maxEntries ?? 10_000;
  const maxTotal = limits.maxTotalBytes ?? 256 * 1024 * 1024;
  const end = findEndOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  const size = archive.readUInt32LE(end + 12);
  const offset = archive.readUInt32LE(end + 16);
  if (archive.readUInt16LE(end + 4) !== 0 || archive.readUInt16LE(end + 6) !== 0) {
    throw new SiteError('UNSUPPORTED', 'the archive spans several disks: pack it as one zip');
  }
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new SiteError(
      'UNSUPPORTED',
      'the archive is Zip64: keep the site under 4 GiB and 65535 files',
    );
  }
  if (count > maxEntries) {
    throw new SiteError('TOO_LARGE', `the archive has ${count} entries, more than ${maxEntries}`);
  }
  if (offset + size > end) corrupt('the central directory overlaps its end record');

  const files: ZipFile[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || archive.readUInt32LE(at) !== CENTRAL) {
      corrupt(`central directory entry ${i + 1} of ${count} is missing`);
    }
    const madeBy = archive.readUInt16LE(at + 4);
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const inflated = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const external = archive.readUInt32LE(at + 38);
    const local = archive.readUInt32LE(at + 42);
    const rawName = archive.subarray(at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (at > end) corrupt(`central directory entry ${i + 1} runs past its end`);
    // Bit 11: UTF-8 names; otherwise CP437, which agrees with UTF-8 on ASCII (all we accept).
    const name = rawName.toString(flags & 0x800 ? 'utf8' : 'latin1');
    const isDir = name.endsWith('/');
    const path = safePath(name);
    const type = (madeBy >> 8 === UNIX ? external >>> 16 : 0) & S_IFMT;
    if (type === S_IFLNK) {
      throw new SiteError(
        'UNSAFE',
        `archive entry ${JSON.stringify(name)} is a symlink: a site holds regular files only`,
      );
    }
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
      throw new SiteError(
        'UNSAFE',
        `archive entry ${JSON.stringify(name)} is a special file (mode ${type.toString(8)})`,
      );
    }
    if (isDir || type === S_IFDIR) continue;
    if (flags & 0x1) {
      throw new SiteError('UNSUPPORTED', `archive entry ${JSON.stringify(name)} is encrypted`);
    }
    if (method !== 0 && method !== 8) {
      throw new SiteError(
        'UNSUPPORTED',
        `archive entry ${JSON.stringify(name)} uses compression method ${method}: only stored and deflate are read`,
      );
    }
    if (compressed === 0xffffffff || inflated === 0xffffffff) {
      throw new SiteError('UNSUPPORTED', `archive entry ${JSON.stringify(name)} is Zip64`);
    }
    if (seen.has(path)) corrupt(`the archive holds ${JSON.stringify(path)} twice`);
    seen.add(path);
    total += inflated;
    if (total > maxTotal) {
      throw new SiteError('TOO_LARGE', `the archive inflates to more than ${maxTotal} bytes`);
    }
    const data = entryData(archive, local, compressed, offset, name);
    files.push({ path, data: inflate(data, method, inflated, crc, name) });
  }
  checkFileDirConflicts(seen);
  return files;
}

function corrupt(detail: string): never {
  throw new SiteError('CORRUPT', `the archive is corrupt: ${detail}`);
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535.
  const lowest = Math.max(0, archive.length - 22 - 0xffff);
  for (let at = archive.length - 22; at >= lowest; at--) {
    if (
      archive.readUInt32LE(at) === EOCD &&
      at + 22 + archive.readUInt16LE(at + 20) === archive.length
    ) {
      return at;
    }
  }
  throw new SiteError(
    'CORRUPT',
    'the download is not a zip archive (no end of central directory): check that site-url points at a .zip',
  );
}

/** The entry's normalised relative path; throws UNSAFE for a path that could leave the site. */
function safePath(name: string): string {
  if (name.includes('\0') || name.includes('\\')) {
    throw new SiteError(
      'UNSAFE',
      `archive entry ${JSON.stringify(name)} has a NUL or backslash in its name`,
    );
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new SiteError('UNSAFE', `archive entry ${JSON.stringify(name)} has an absolute path`);
  }
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new SiteError(
      'UNSAFE',
      `archive entry ${JSON.stringify(name)} escapes the site with '..'`,
    );
  }
  if (segments.length === 0) corrupt(`entry ${JSON.stringify(name)} has an empty path`);
  return segments.join('/');
}

function entryData(
  archive: Buffer,
  local: number,
  size: number,
  limit: number,
  name: string,
): Buffer {
  if (local + 30 > limit || archive.readUInt32LE(local) !== LOCAL) {
    corrupt(`the local header of ${JSON.stringify(name)} is missing`);
  }
  const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
  if (start + size > limit)
    corrupt(`the data of ${JSON.stringify(name)} runs past the central directory`);
  return archive.subarray(start, start + size);
}

function inflate(data: Buffer, method: number, size: number, crc: number, name: string): Buffer {
  let out: Buffer;
  if (method === 0) {
    out = data;
  } else {
    try {
      // One byte of room: an entry that inflates past its declared size is caught, not trusted.
      out = inflateRawSync(data, { maxOutputLength: size + 1 });
    } catch (error) {
      throw new SiteError(
        'CORRUPT',
        `the archive is corrupt: cannot inflate ${JSON.stringify(name)}`,
        { cause: error },
      );
    }
  }
  if (out.length !== size)
    corrupt(`${JSON.stringify(name)} is ${out.length} bytes, the archive says ${size}`);
  if (crc32(out) >>> 0 !== crc >>> 0) corrupt(`${JSON.stringify(name)} fails its CRC-32 check`);
  return out;
}

/** A file `a` and a file `a/b` cannot both be written. */
function checkFileDirConflicts(paths: Set<string>): void {
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (paths.has(parent)) corrupt(`${JSON.stringify(parent)} is both a file and a directory`);
    }
  }
}
