/**
 * Keeping secrets out of what is shown: every status message and log line goes through
 * {@link redact}.
 * @module
 */

/** What a secret is replaced with. */
export const REDACTED = '***';

/** `text` with every occurrence of each secret replaced by `***` (longest first). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter(Boolean).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  return out;
}
