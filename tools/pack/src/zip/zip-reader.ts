import { crc32, inflateRawSync } from 'node:zlib';
import { PackError } from '../errors.ts';

/** One file read back from a zip archive. */
export interface ZipFile {
  name: string;
  /** Unix permission bits from the external attributes (0 when the archive has none). */
  mode: number;
  /** Host system from "version made by" (3 = Unix). */
  madeBy: number;
  method: number;
  /** Raw MS-DOS time and date fields of the central directory entry. */
  dosTime: number;
  dosDate: number;
  data: Buffer;
}

/**
 * Reads every file of a zip archive held in memory (no Zip64, no encryption), checking each
 * entry's CRC-32. Used to check what `writeZip` produced and to unpack a charm.
 *
 * @throws PackError `ZIP` when the archive is truncated, uses an unsupported feature or an
 *   entry's checksum does not match.
 */
export function readZip(archive: Buffer): ZipFile[] {
  const end = findEndOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) {
      throw new PackError('ZIP', `bad central directory entry ${i} at offset ${at}`);
    }
    const madeBy = archive.readUInt16LE(at + 4) >> 8;
    const method = archive.readUInt16LE(at + 10);
    const dosTime = archive.readUInt16LE(at + 12);
    const dosDate = archive.readUInt16LE(at + 14);
    const checksum = archive.readUInt32LE(at + 16);
    const compressedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const external = archive.readUInt32LE(at + 38);
    const localOffset = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    const localNameLength = archive.readUInt16LE(localOffset + 26);
    const localExtraLength = archive.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = archive.subarray(start, start + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflate(name, raw);
    else throw new PackError('ZIP', `${name}: unsupported compression method ${method}`);
    if (data.length !== size || crc32(data) >>> 0 !== checksum) {
      throw new PackError('ZIP', `${name}: size or CRC-32 does not match the central directory`);
    }
    const mode = madeBy === 3 ? (external >>> 16) & 0o7777 : 0;
    files.push({ name, mode, madeBy, method, dosTime, dosDate, data });
  }
  return files;
}

function inflate(name: string, raw: Buffer): Buffer {
  try {
    return inflateRawSync(raw);
  } catch (error) {
    throw new PackError('ZIP', `${name}: corrupt deflate data`, { cause: error });
  }
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const lowest = Math.max(0, archive.length - 22 - 0xffff);
  for (let at = archive.length - 22; at >= lowest; at--) {
    if (archive.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw new PackError('ZIP', 'not a zip archive: no end of central directory record');
}
