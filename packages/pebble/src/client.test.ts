import { afterEach, describe, expect, it } from 'vitest';
import { type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { PebbleClient } from './client.ts';
import { NotSupportedError } from './errors.ts';

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('PebbleClient envelope state', () => {
  it('keeps maintenance and latest-warning from the answers', async () => {
    let maintenance = true;
    fake = await startFake({
      'GET /v1/system-info': () =>
        sync(
          { 'boot-id': 'b', version: '1.2.3' },
          {
            'latest-warning': '2026-07-22T10:00:00.123456789Z',
            ...(maintenance
              ? { maintenance: { kind: 'daemon-restart', message: 'daemon is restarting' } }
              : {}),
          },
        ),
    });
    const client = new PebbleClient({ socketPath: fake.socketPath, retryMs: 0 });
    expect(await client.getSystemInfo()).toEqual({ bootId: 'b', version: '1.2.3' });
    expect(client.maintenance).toEqual({ kind: 'daemon-restart', message: 'daemon is restarting' });
    expect(client.latestWarning?.toISOString()).toBe('2026-07-22T10:00:00.123Z');
    maintenance = false;
    await client.getSystemInfo();
    expect(client.maintenance).toBeUndefined();
    expect(client.latestWarning?.toISOString()).toBe('2026-07-22T10:00:00.123Z');
    await client.close();
  });

  it('reports endpoints an older daemon lacks as NotSupportedError', async () => {
    fake = await startFake({});
    const client = new PebbleClient({ socketPath: fake.socketPath, retryMs: 0 });
    for (const call of [
      () => client.listIdentities(),
      () => client.getMetrics(),
      () => client.startChecks(['c']),
      () => client.listNotices(),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(NotSupportedError);
    }
    await client.close();
  });
});
