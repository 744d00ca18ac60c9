/** Stable codes for every way packing can fail; callers branch on `code`, never on the text. */
export type PackErrorCode = 'CHARMCRAFT' | 'TARGET' | 'BUNDLE' | 'RUNTIME' | 'ZIP' | 'USAGE' | 'IO';

/**
 * The one error class of `@charm-ts/pack`. The message names the file, key or path at fault
 * and what would fix it; `code` says which step failed.
 */
export class PackError extends Error {
  override readonly name = 'PackError';
  readonly code: PackErrorCode;

  constructor(code: PackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
