/**
 * Secret expiry and rotation times: `--expire` (a Go duration from now, or an RFC 3339 time)
 * and when a rotation policy next falls due.
 * @module
 */
import { usageError } from './errors.ts';

/** The rotation policies Juju accepts. */
export const ROTATE_POLICIES: readonly string[] = [
  'never',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
];

const DAY = 86_400_000;
const ROTATE_MS: Record<string, number> = {
  hourly: 3_600_000,
  daily: DAY,
  weekly: 7 * DAY,
  monthly: 30 * DAY,
  quarterly: 90 * DAY,
  yearly: 365 * DAY,
};

/** When a rotation policy next falls due from `now` (RFC 3339); undefined for `never`. */
export function nextRotation(policy: string, now: number): string | undefined {
  const every = ROTATE_MS[policy];
  return every === undefined ? undefined : new Date(now + every).toISOString();
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `--expire`: a Go duration (`30m`, `24h`, `1h30m`) from `now`, or an RFC 3339 time.
 * Returns an RFC 3339 time.
 * @throws JujuError exit 2 for anything else.
 */
export function parseExpiry(value: string, now: number): string {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join('') === value) {
    const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] ?? 0), 0);
    return new Date(now + ms).toISOString();
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw usageError(`invalid expiry "${value}": use a duration (24h) or an RFC 3339 time`);
  }
  return new Date(time).toISOString();
}
