/**
 * The zip records this package reads and writes (PKWARE APPNOTE 6.3: local file header,
 * central directory header, end of central directory), in one place for the writer and the
 * reader. No Zip64, no encryption, no data descriptors, no extra fields.
 * @module
 */

export const LOCAL_SIGNATURE = 0x04034b50;
export const CENTRAL_SIGNATURE = 0x02014b50;
export const END_SIGNATURE = 0x06054b50;
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_RECORD_SIZE = 22;
/** The end record's comment is at most this long: it is searched for within the last bytes. */
export const MAX_COMMENT = 0xffff;
export const MAX_U16 = 0xffff;
export const MAX_U32 = 0xffffffff;

/** Host system in the high byte of "version made by": Unix modes are in the external attributes. */
export const HOST_UNIX = 3;
/** Spec version 2.0: stored and deflate, all this package needs. */
export const VERSION_NEEDED = 20;
/** General purpose flag bit 0: the entry is encrypted. */
export const FLAG_ENCRYPTED = 0x1;
/** General purpose flag bit 11: the name is UTF-8 (otherwise code page 437). */
export const FLAG_UTF8 = 0x800;

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/**
 * 1980-01-01 00:00:00, the earliest MS-DOS time. Every entry written gets it, so the same
 * entries give the same bytes whatever the files' modification times.
 */
export const DOS_TIME = 0;
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** What the local and central headers of one entry say. */
export interface EntryHeader {
  readonly name: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  /** The whole Unix mode (file type and permission bits), or undefined for an MS-DOS entry. */
  readonly unixMode: number | undefined;
}

/**
 * The fields both headers carry in the same order, from the flags to the name's length
 * (local header: offset 6, central: 8).
 */
function writeEntryFields(header: Buffer, entry: EntryHeader, at: number): void {
  header.writeUInt16LE(entry.flags, at);
  header.writeUInt16LE(entry.method, at + 2);
  header.writeUInt16LE(DOS_TIME, at + 4);
  header.writeUInt16LE(DOS_DATE, at + 6);
  header.writeUInt32LE(entry.crc32 >>> 0, at + 8);
  header.writeUInt32LE(entry.compressedSize, at + 12);
  header.writeUInt32LE(entry.size, at + 16);
  header.writeUInt16LE(entry.name.length, at + 20);
}

export function localHeader(entry: EntryHeader): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER_SIZE + entry.name.length);
  header.writeUInt32LE(LOCAL_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  writeEntryFields(header, entry, 6);
  // extra field length: 0
  entry.name.copy(header, LOCAL_HEADER_SIZE);
  return header;
}

export function centralHeader(entry: EntryHeader, offset: number): Buffer {
  const header = Buffer.alloc(CENTRAL_HEADER_SIZE + entry.name.length);
  const unix = entry.unixMode !== undefined;
  header.writeUInt32LE(CENTRAL_SIGNATURE, 0);
  // "Version made by": Unix, so readers (Go's archive/zip in Juju, Info-ZIP) honour the mode.
  header.writeUInt16LE(unix ? (HOST_UNIX << 8) | VERSION_NEEDED : VERSION_NEEDED, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  writeEntryFields(header, entry, 8);
  // extra length, comment length, disk number start, internal attributes: all 0.
  // External attributes: the Unix mode in the high 16 bits.
  header.writeUInt32LE(unix ? ((entry.unixMode as number) << 16) >>> 0 : 0, 38);
  header.writeUInt32LE(offset, 42);
  entry.name.copy(header, CENTRAL_HEADER_SIZE);
  return header;
}

export function endRecord(count: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(END_RECORD_SIZE);
  record.writeUInt32LE(END_SIGNATURE, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(directorySize, 12);
  record.writeUInt32LE(directoryOffset, 16);
  return record;
}

/** A permission-only mode (0o755) as a regular file's; one with file-type bits is kept. */
export function withFileType(mode: number): number {
  return mode & S_IFMT ? mode : S_IFREG | (mode & 0o7777);
}
