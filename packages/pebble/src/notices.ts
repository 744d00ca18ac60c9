/**
 * Notices: list (with filters and long-polling), get, and record custom notices.
 * @module
 */
import { ProtocolError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import { msToGoDuration, parseTime } from './internal/time.ts';
import type { ListNoticesOptions, Notice, NotifyOptions, RequestOptions } from './types.ts';

/** Pebble's rule for custom notice keys: `domain.tld/path`, lowercase, at most 256 bytes. */
export const customNoticeKeyRe =
  /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(\/[a-z0-9]+(-[a-z0-9]+)*)+$/;
const maxKeyBytes = 256;
const maxDataBytes = 4 * 1024;
const headersSlackMs = 5_000;

interface NoticeWire {
  id?: string;
  'user-id'?: number | null;
  type?: string;
  key?: string;
  'first-occurred'?: string;
  'last-occurred'?: string;
  'last-repeated'?: string;
  occurrences?: number;
  'last-data'?: Record<string, string> | null;
  'repeat-after'?: string;
  'expire-after'?: string;
}

/**
 * Converts Pebble's notice JSON. `lastRepeatedRaw` keeps Pebble's nanosecond timestamp so
 * it can be passed back as `after` without losing precision.
 * @throws ProtocolError when the value has no id.
 */
export function toNotice(value: unknown): Notice {
  const wire = (value ?? {}) as NoticeWire;
  if (typeof wire.id !== 'string') throw new ProtocolError('cannot read notice: no id');
  const lastRepeatedRaw = wire['last-repeated'] ?? '';
  const epoch = new Date(0);
  const notice: Notice = {
    id: wire.id,
    userId: typeof wire['user-id'] === 'number' ? wire['user-id'] : null,
    type: wire.type ?? '',
    key: wire.key ?? '',
    firstOccurred: parseTime(wire['first-occurred']) ?? epoch,
    lastOccurred: parseTime(wire['last-occurred']) ?? epoch,
    lastRepeated: parseTime(lastRepeatedRaw) ?? epoch,
    lastRepeatedRaw,
    occurrences: wire.occurrences ?? 0,
    lastData: wire['last-data'] ?? {},
  };
  if (wire['repeat-after']) notice.repeatAfter = wire['repeat-after'];
  if (wire['expire-after']) notice.expireAfter = wire['expire-after'];
  return notice;
}

/**
 * `GET /v1/notices`: the caller's and public notices, oldest first, filtered by type, key and
 * `after`. With `timeoutMs` Pebble holds the request until a notice matches, answering `[]`
 * if none came in time.
 * @throws APIError (403 for admin-only filters), ConnectionError.
 */
export async function listNotices(
  rq: Requester,
  options: ListNoticesOptions = {},
): Promise<Notice[]> {
  const { after, users, timeoutMs } = options;
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/notices',
    query: {
      types: options.types?.length ? options.types : undefined,
      keys: options.keys?.length ? options.keys : undefined,
      after: after instanceof Date ? after.toISOString() : after,
      'user-id': typeof users === 'number' ? users : undefined,
      users: users === 'all' ? 'all' : undefined,
      timeout: timeoutMs !== undefined && timeoutMs > 0 ? msToGoDuration(timeoutMs) : undefined,
    },
    signal: options.signal,
    ...(timeoutMs !== undefined && timeoutMs > 0
      ? { headersTimeoutMs: timeoutMs + headersSlackMs }
      : {}),
  });
  return Array.isArray(result) ? result.map(toNotice) : [];
}

/**
 * `GET /v1/notices/{id}`.
 * @throws TypeError for a malformed id; APIError (404 unknown, 403 not viewable); ConnectionError.
 */
export async function getNotice(
  rq: Requester,
  id: string,
  options: RequestOptions = {},
): Promise<Notice> {
  if (!/^[0-9a-z]+$/.test(id)) throw new TypeError(`invalid notice id ${JSON.stringify(id)}`);
  const { result } = await rq.sync({
    method: 'GET',
    path: `/v1/notices/${id}`,
    signal: options.signal,
  });
  return toNotice(result);
}

/**
 * Records (or repeats) a custom notice `key` and returns its id.
 * @throws TypeError for a key Pebble would refuse (not `domain.tld/path`, over 256 bytes) or
 *   data over 4 KiB; APIError; ConnectionError.
 */
export async function notify(
  rq: Requester,
  key: string,
  options: NotifyOptions = {},
): Promise<string> {
  if (!customNoticeKeyRe.test(key)) {
    throw new TypeError(
      `invalid notice key ${JSON.stringify(key)}: use the "example.com/path" form (lowercase letters, digits, "-")`,
    );
  }
  if (Buffer.byteLength(key) > maxKeyBytes) {
    throw new TypeError(`notice key is longer than ${maxKeyBytes} bytes: ${key.slice(0, 40)}…`);
  }
  const body: Record<string, unknown> = { action: 'add', type: 'custom', key };
  if (options.repeatAfter !== undefined) body['repeat-after'] = options.repeatAfter;
  if (options.data !== undefined) {
    const size = Buffer.byteLength(JSON.stringify(options.data));
    if (size > maxDataBytes) {
      throw new TypeError(
        `notice data for ${key} is ${size} bytes as JSON; Pebble accepts at most ${maxDataBytes}`,
      );
    }
    body.data = options.data;
  }
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/notices',
    body,
    signal: options.signal,
  });
  const id = (result as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new ProtocolError('cannot record notice: no id in the answer');
  return id;
}
