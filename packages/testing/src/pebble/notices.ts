/**
 * Notices as Pebble keeps them: one per (user, type, key), repeated occurrences counted,
 * `repeat-after` holding `last-repeated` back, `change-update` notices for every change,
 * filters by type, key and `after` (on `last-repeated`, nanoseconds), and long-polling.
 * @module
 */

import type { ListNoticesOptions, Notice, NoticeType, NotifyOptions } from '@charm-ts/pebble';
import { APIError, formatGoDuration, parseGoDuration } from '@charm-ts/pebble';
import { customNoticeKeyRe } from '@charm-ts/pebble/internal';

interface Stored extends Notice {
  ns: bigint;
  repeatAfterNs?: bigint;
}

const weekNs = 7n * 24n * 3600n * 1_000_000_000n;

/** RFC3339 with nanoseconds, as Go writes `time.Time`. */
function rfc3339Nano(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** Parses RFC3339 (any fraction) to nanoseconds; undefined when unparsable. */
export function parseNano(text: string): bigint | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** The notices of one in-memory Pebble. */
export class NoticeStore {
  readonly #notices = new Map<string, Stored>();
  readonly #listeners = new Set<() => void>();
  readonly #nowMs: () => number;
  readonly #uid: number;
  #lastId = 0;
  #lastNs = 0n;

  /** `uid` is the caller's user id (custom notices are recorded under it). */
  constructor(nowMs: () => number, uid = 0) {
    this.#nowMs = nowMs;
    this.#uid = uid;
  }

  #tick(): bigint {
    const ns = BigInt(this.#nowMs()) * 1_000_000n;
    this.#lastNs = ns > this.#lastNs ? ns : this.#lastNs + 1n;
    return this.#lastNs;
  }

  /** Records an occurrence; returns the notice id. */
  add(
    userId: number | null,
    type: NoticeType,
    key: string,
    data: Record<string, string> = {},
    repeatAfter?: string,
  ): string {
    const ns = this.#tick();
    const id = `${userId ?? 'public'}\u0000${type}\u0000${key}`;
    const at = new Date(Number(ns / 1_000_000n));
    const raw = rfc3339Nano(ns);
    let notice = this.#notices.get(id);
    if (!notice) {
      notice = {
        id: String(++this.#lastId),
        userId,
        type,
        key,
        firstOccurred: at,
        lastOccurred: at,
        lastRepeated: at,
        lastRepeatedRaw: raw,
        occurrences: 0,
        lastData: {},
        expireAfter: '168h0m0s',
        ns,
      };
      this.#notices.set(id, notice);
    } else if (notice.repeatAfterNs === undefined || ns - notice.ns > notice.repeatAfterNs) {
      notice.lastRepeated = at;
      notice.lastRepeatedRaw = raw;
      notice.ns = ns;
    }
    notice.occurrences++;
    notice.lastOccurred = at;
    notice.lastData = { ...data };
    if (repeatAfter !== undefined) {
      const parsed = parseGoDuration(repeatAfter);
      if (parsed !== undefined) {
        notice.repeatAfterNs = parsed;
        notice.repeatAfter = formatGoDuration(parsed);
      }
    }
    for (const wake of this.#listeners) wake();
    return notice.id;
  }

  /** `notify`: a custom notice under the caller's uid. Throws TypeError/APIError as the client. */
  notify(key: string, options: NotifyOptions = {}): string {
    if (!customNoticeKeyRe.test(key)) {
      throw new TypeError(
        `invalid notice key ${JSON.stringify(key)}: use the "example.com/path" form (lowercase letters, digits, "-")`,
      );
    }
    if (Buffer.byteLength(key) > 256) {
      throw new TypeError(`notice key is longer than 256 bytes: ${key.slice(0, 40)}…`);
    }
    if (options.data !== undefined) {
      const size = Buffer.byteLength(JSON.stringify(options.data));
      if (size > 4096) {
        throw new TypeError(
          `notice data for ${key} is ${size} bytes as JSON; Pebble accepts at most 4096`,
        );
      }
    }
    if (options.repeatAfter !== undefined && parseGoDuration(options.repeatAfter) === undefined) {
      throw new APIError(
        400,
        `invalid repeat-after: time: invalid duration "${options.repeatAfter}"`,
      );
    }
    return this.add(this.#uid, 'custom', key, options.data, options.repeatAfter);
  }

  #matching(options: ListNoticesOptions): Notice[] {
    let afterNs: bigint | undefined;
    if (options.after !== undefined) {
      const raw = options.after instanceof Date ? options.after.toISOString() : options.after;
      afterNs = parseNano(raw);
      if (afterNs === undefined)
        throw new APIError(400, `invalid "after" timestamp: cannot parse "${raw}"`);
    }
    const users = options.users;
    const now = BigInt(this.#nowMs()) * 1_000_000n;
    return [...this.#notices.values()]
      .filter((n) => n.ns + weekNs > now)
      .filter((n) => {
        if (users === 'all') return true;
        if (typeof users === 'number') return n.userId === users || n.userId === null;
        return n.userId === null || n.userId === this.#uid;
      })
      .filter((n) => !options.types?.length || options.types.includes(n.type))
      .filter((n) => !options.keys?.length || options.keys.includes(n.key))
      .filter((n) => afterNs === undefined || n.ns > afterNs)
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))
      .map(({ ns: _ns, repeatAfterNs: _r, ...notice }) => structuredClone(notice));
  }

  /** `GET /v1/notices`, long-polling up to `timeoutMs` for a match. */
  async list(options: ListNoticesOptions = {}): Promise<Notice[]> {
    const now = this.#matching(options);
    if (now.length > 0 || !options.timeoutMs || options.timeoutMs <= 0) return now;
    return new Promise<Notice[]>((resolve, reject) => {
      const finish = (result: Notice[]): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const check = (): void => {
        const found = this.#matching(options);
        if (found.length > 0) finish(found);
      };
      const onAbort = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        reject(options.signal?.reason);
      };
      const timer = setTimeout(() => finish([]), options.timeoutMs);
      this.#listeners.add(check);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** `GET /v1/notices/{id}`. Throws APIError 404, TypeError for a malformed id. */
  get(id: string): Notice {
    if (!/^[0-9a-z]+$/.test(id)) throw new TypeError(`invalid notice id ${JSON.stringify(id)}`);
    const found = this.#matching({ users: 'all' }).find((n) => n.id === id);
    if (!found) throw new APIError(404, `cannot find notice with ID "${id}"`);
    if (found.userId !== null && found.userId !== this.#uid && this.#uid !== 0) {
      throw new APIError(403, `not allowed to access notice with id "${id}"`);
    }
    return found;
  }
}
