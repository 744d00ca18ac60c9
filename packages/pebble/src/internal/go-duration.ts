/**
 * Go `time.Duration` strings, as Pebble reads and writes them: `ParseDuration` accepts
 * `"1m30s"`, `"1.5h"`, `"500ms"`, `"0"`; `Duration.String()` writes the canonical form
 * (`"90s"` comes back from Pebble as `"1m30s"`). Nanoseconds are kept as a bigint so no
 * value loses precision.
 * @module
 */

const nsPerSecond = 1_000_000_000n;
const nsPerMinute = 60n * nsPerSecond;
const nsPerHour = 60n * nsPerMinute;

const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const maxNs = (1n << 63n) - 1n;
const partRe = /^([0-9]*)(?:\.([0-9]*))?([a-zµμ]+)/;

/**
 * Parses a Go duration string into nanoseconds; returns undefined when Go would refuse it
 * (a bare number other than `0`, an unknown unit, an overflow).
 */
export function parseGoDuration(text: string): bigint | undefined {
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const match = partRe.exec(rest);
    if (!match) return undefined;
    const [whole, intPart = '', fracPart, unit = ''] = match;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return undefined;
    const scale = unitNs[unit];
    if (scale === undefined) return undefined;
    let value = BigInt(intPart || '0') * scale;
    if (fracPart) {
      // Go truncates the fractional part towards zero, as integer arithmetic does here.
      value += (BigInt(fracPart) * scale) / 10n ** BigInt(fracPart.length);
    }
    total += value;
    if (total > maxNs + (negative ? 1n : 0n)) return undefined;
    rest = rest.slice(whole.length);
  }
  return negative ? -total : total;
}

/** Writes nanoseconds the way Go's `Duration.String()` does (`1h0m0s`, `1.5s`, `500ms`, `0s`). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const abs = ns < 0n ? -ns : ns;
  if (abs < 1_000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return `${sign}${fixed(abs, 1_000n, 3)}µs`;
  if (abs < 1_000_000_000n) return `${sign}${fixed(abs, 1_000_000n, 6)}ms`;
  const hours = abs / nsPerHour;
  const minutes = (abs % nsPerHour) / nsPerMinute;
  const seconds = fixed(abs % nsPerMinute, nsPerSecond, 9);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / unit` with up to `digits` decimals, trailing zeros trimmed. */
function fixed(value: bigint, unit: bigint, digits: number): string {
  const whole = value / unit;
  const frac = (value % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** Re-writes a Go duration string in canonical form, or returns undefined if it is invalid. */
export function normalizeGoDuration(text: string): string | undefined {
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : formatGoDuration(ns);
}
