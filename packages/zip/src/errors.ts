/**
 * The one error class of @charm-ts/zip, with a stable `code` callers branch on.
 * @module
 */

/**
 * What is wrong with an archive: `NOT_A_ZIP` (no end of central directory), `CORRUPT`
 * (truncated, inconsistent, a wrong size or CRC-32), `UNSUPPORTED` (encryption, Zip64, several
 * disks, a compression method other than stored and deflate), `TOO_LARGE` (over a reader limit),
 * `INVALID_ENTRY` (the writer refuses a name or an archive it cannot write).
 */
export type ZipErrorCode = 'NOT_A_ZIP' | 'CORRUPT' | 'UNSUPPORTED' | 'TOO_LARGE' | 'INVALID_ENTRY';

const BRAND = Symbol.for('@charm-ts/zip.ZipError');

/**
 * An archive that cannot be read, or entries that cannot be written. The message says what
 * and names the entry; it has no advice, which depends on where the archive came from.
 */
export class ZipError extends Error {
  readonly code: ZipErrorCode;
  readonly [BRAND] = true;

  constructor(code: ZipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZipError';
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }
}
