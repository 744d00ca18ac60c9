/**
 * The errors of the hello-kubecon charm: one class with a stable `code`, so the action and the
 * tests branch on the code, never on the message.
 * @module
 */

/** What went wrong while pulling the site. */
export type SiteErrorCode =
  | 'BAD_URL'
  | 'DOWNLOAD'
  | 'TIMEOUT'
  | 'TOO_LARGE'
  | 'CORRUPT'
  | 'UNSAFE'
  | 'UNSUPPORTED'
  | 'NOT_A_SITE'
  | 'NO_STORAGE';

const BRAND = Symbol.for('hello-kubecon.SiteError');

/**
 * A site could not be pulled. The message names the URL (credentials removed) or the archive
 * entry, and what would fix it; the current site is never touched when this is thrown.
 */
export class SiteError extends Error {
  readonly code: SiteErrorCode;
  readonly [BRAND] = true;

  constructor(code: SiteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiteError';
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }
}
