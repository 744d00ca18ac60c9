/**
 * A small reader for the zip files `charmcraft pack` and `charm-pack` write: central directory,
 * stored and deflated entries, Unix modes and symlinks. No zip64, no encryption.
 * @module
 */
import { inflateRawSync } from 'node:zlib';
import { SimError } from './errors.ts';

/** One file in a zip archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  readonly name: string;
  /** Unix permission bits (e.g. 0o755), or undefined when the archive did not record them. */
  readonly mode: number | undefined;
  /** True for a symlink entry; the data is its target. */
  readonly symlink: boolean;
  /** True for a directory entry. */
  readonly directory: boolean;
  /** The uncompressed bytes. */
  readonly data: Buffer;
}

const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;

/**
 * Reads every entry of a zip archive held in memory.
 * @throws SimError `BAD_CHARM` when `bytes` is not a readable zip (truncated, zip64, encrypted,
 * unknown compression, CRC-free size mismatch); the message names `label`.
 */
export function readZip(bytes: Buffer, label: string): ZipEntry[] {
  const bad = (why: string) =>
    new SimError('BAD_CHARM', `cannot unpack ${label}: ${why}; rebuild it with charm-pack`);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('not a zip file (no end of central directory)');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (at === 0xffffffff) throw bad('zip64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CDH) throw bad('corrupt directory');
    const madeBy = bytes.readUInt16LE(at + 4) >> 8;
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const csize = bytes.readUInt32LE(at + 20);
    const usize = bytes.readUInt32LE(at + 24);
    const nameLen = bytes.readUInt16LE(at + 28);
    const extraLen = bytes.readUInt16LE(at + 30);
    const commentLen = bytes.readUInt16LE(at + 32);
    const external = bytes.readUInt32LE(at + 38);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw bad(`${name} is encrypted`);
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LFH) throw bad('corrupt entry');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + csize);
    if (raw.length !== csize) throw bad(`${name} is truncated`);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (cause) {
        throw bad(`${name} does not inflate (${(cause as Error).message})`);
      }
    } else throw bad(`${name} uses compression method ${method}`);
    if (data.length !== usize) throw bad(`${name} has the wrong size`);
    const unixMode = madeBy === 3 ? (external >>> 16) & 0xffff : 0;
    const type = unixMode & 0o170000;
    entries.push({
      name,
      mode: unixMode ? unixMode & 0o7777 : undefined,
      symlink: type === 0o120000,
      directory: name.endsWith('/') || type === 0o040000,
      data,
    });
  }
  return entries;
}
