import { afterEach, describe, expect, it } from 'vitest';
import { error, type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { listChecks, refreshCheck, startChecks, stopChecks, toCheckInfo } from './checks.ts';
import { APIError, NotSupportedError } from './errors.ts';

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('checks on older daemons', () => {
  it('reads missing failures and successes as 0', () => {
    expect(toCheckInfo({ name: 'c', startup: 'enabled', status: 'up', threshold: 3 })).toEqual({
      name: 'c',
      startup: 'enabled',
      status: 'up',
      successes: 0,
      failures: 0,
      threshold: 3,
    });
    expect(
      toCheckInfo({ name: 'c', status: 'down', failures: 2, level: 'alive', 'change-id': '4' }),
    ).toMatchObject({
      startup: 'enabled',
      failures: 2,
      level: 'alive',
      changeId: '4',
    });
  });

  it('reads changed: null as an empty list', async () => {
    fake = await startFake({ 'POST /v1/checks': () => sync({ changed: null }) });
    expect(await startChecks(fake.rq, ['c'])).toEqual([]);
    expect(await stopChecks(fake.rq, ['c'])).toEqual([]);
    expect(JSON.parse(fake.requests[1]?.body ?? '')).toEqual({ action: 'stop', checks: ['c'] });
  });

  it('turns a missing refresh endpoint into NotSupportedError', async () => {
    fake = await startFake({});
    const caught = await refreshCheck(fake.rq, 'c').catch((e: unknown) => e);
    expect(caught).toBeInstanceOf(NotSupportedError);
    expect((caught as NotSupportedError).message).toContain(
      'POST /v1/checks/refresh is not supported by this Pebble',
    );
  });

  it('keeps a 404 for an unknown check an APIError', async () => {
    fake = await startFake({
      'POST /v1/checks/refresh': () => error(404, 'cannot find check "c"'),
    });
    const caught = await refreshCheck(fake.rq, 'c').catch((e: unknown) => e);
    expect(caught).toBeInstanceOf(APIError);
    expect(caught).not.toBeInstanceOf(NotSupportedError);
  });

  it('sends level and names filters', async () => {
    fake = await startFake({ 'GET /v1/checks': () => sync(null) });
    expect(await listChecks(fake.rq, { level: 'ready', names: ['a', 'b'] })).toEqual([]);
    expect(fake.requests[0]?.query.toString()).toBe('level=ready&names=a%2Cb');
  });
});
