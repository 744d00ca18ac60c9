/**
 * Times as the Juju CLI prints them, in UTC (what `--utc` gives, and what a machine on UTC
 * sees).
 * @module
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `status`'s `since`: Go's `02 Jan 2006 15:04:05Z07:00`, e.g. `24 Feb 2025 12:03:17Z`. */
export function statusSince(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${clock(d)}Z`;
}

/** `status`'s controller timestamp: `15:04:05Z07:00`, e.g. `12:04:55Z`. */
export function statusClock(date = new Date()): string {
  return `${clock(date)}Z`;
}

/**
 * A task's times and log lines: Go's `Time.String()` in UTC, e.g.
 * `2025-03-01 03:23:26.123 +0000 UTC` (fractional seconds as Go prints them, trailing zeros
 * dropped).
 */
export function goTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const ms = d.getUTCMilliseconds();
  const frac = ms ? `.${String(ms).padStart(3, '0').replace(/0+$/, '')}` : '';
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${clock(d)}${frac} +0000 UTC`;
}

/** RFC 3339 without fractions, as `juju secrets` prints times: `2025-06-03T11:39:23Z`. */
export function rfc3339(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 19)}Z`;
}

function clock(d: Date): string {
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
