import { afterEach, describe, expect, it } from 'vitest';
import { type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { listNotices, notify, toNotice } from './notices.ts';

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const wire = {
  id: '12',
  'user-id': null,
  type: 'custom',
  key: 'example.com/x',
  'first-occurred': '2026-07-22T10:00:00.123456789Z',
  'last-occurred': '2026-07-22T10:00:00.123456789Z',
  'last-repeated': '2026-07-22T10:00:00.123456789Z',
  occurrences: 1,
};

describe('notices', () => {
  it('keeps the raw nanosecond last-repeated next to the Date', () => {
    const notice = toNotice(wire);
    expect(notice.lastRepeatedRaw).toBe('2026-07-22T10:00:00.123456789Z');
    expect(notice.lastRepeated.toISOString()).toBe('2026-07-22T10:00:00.123Z');
    expect(notice).toMatchObject({ userId: null, lastData: {}, occurrences: 1 });
    expect(toNotice({ ...wire, 'user-id': 0 }).userId).toBe(0);
  });

  it('passes the filters through, the raw after string untouched', async () => {
    fake = await startFake({ 'GET /v1/notices': () => sync([wire]) });
    await listNotices(fake.rq, {
      types: ['custom', 'warning'],
      keys: ['example.com/x'],
      after: wire['last-repeated'],
      users: 'all',
      timeoutMs: 1500,
    });
    const query = fake.requests[0]?.query;
    expect(query?.get('types')).toBe('custom,warning');
    expect(query?.get('keys')).toBe('example.com/x');
    expect(query?.get('after')).toBe('2026-07-22T10:00:00.123456789Z');
    expect(query?.get('users')).toBe('all');
    expect(query?.get('user-id')).toBeNull();
    expect(query?.get('timeout')).toBe('1500ms');
    await listNotices(fake.rq, { users: 1000, after: new Date('2026-07-22T10:00:00Z') });
    expect(fake.requests[1]?.query.get('user-id')).toBe('1000');
    expect(fake.requests[1]?.query.get('after')).toBe('2026-07-22T10:00:00.000Z');
  });

  it('waits for the headers longer than the long-poll itself', async () => {
    fake = await startFake({ 'GET /v1/notices': () => sync([]) });
    const specs: unknown[] = [];
    const original = fake.rq.sync.bind(fake.rq);
    fake.rq.sync = (spec) => {
      specs.push(spec);
      return original(spec);
    };
    expect(await listNotices(fake.rq, { timeoutMs: 120_000 })).toEqual([]);
    expect(specs[0]).toMatchObject({ headersTimeoutMs: 125_000 });
  });

  it('sends a custom notice with data and repeat-after', async () => {
    fake = await startFake({ 'POST /v1/notices': () => sync({ id: '3' }) });
    expect(await notify(fake.rq, 'example.com/a-b/c', { data: { k: '' }, repeatAfter: '1h' })).toBe(
      '3',
    );
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      action: 'add',
      type: 'custom',
      key: 'example.com/a-b/c',
      'repeat-after': '1h',
      data: { k: '' },
    });
  });

  it('refuses a key over 256 bytes and data over 4 KiB before sending', async () => {
    fake = await startFake({});
    await expect(notify(fake.rq, `example.com/${'a'.repeat(250)}`)).rejects.toThrow('256 bytes');
    const data = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(40)]),
    );
    await expect(notify(fake.rq, 'example.com/x', { data })).rejects.toThrow('at most 4096');
    expect(fake.requests).toEqual([]);
  });
});
