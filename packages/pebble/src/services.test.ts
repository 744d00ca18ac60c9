import { afterEach, describe, expect, it } from 'vitest';
import { async, type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { ChangeError } from './errors.ts';
import {
  listServices,
  replanServices,
  sendSignal,
  startServices,
  toServiceInfo,
} from './services.ts';

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const failed = {
  id: '3',
  kind: 'start',
  summary: 'Start service "svc"',
  status: 'Error',
  ready: true,
  err: 'cannot perform the following tasks:\n- Start service "svc" (cannot start service: exited quickly with code 1)',
  'spawn-time': '2026-07-22T10:00:00Z',
  tasks: [
    {
      id: '5',
      kind: 'start',
      summary: 'Start service "svc"',
      status: 'Error',
      log: [
        '2026-07-22T10:00:00Z ERROR cannot start service: exited quickly with code 1',
        '2026-07-22T10:00:00Z INFO Most recent service output:\n    boom',
      ],
    },
  ],
};

describe('service actions', () => {
  it('throws ChangeError with the change, its error and its task logs', async () => {
    fake = await startFake({
      'POST /v1/services': () => async('3'),
      'GET /v1/changes/3/wait': () => sync(failed),
    });
    const caught = await startServices(fake.rq, ['svc']).catch((e: unknown) => e);
    expect(caught).toBeInstanceOf(ChangeError);
    const error = caught as ChangeError;
    expect(error.change.id).toBe('3');
    expect(error.err).toContain('exited quickly with code 1');
    expect(error.message).toContain('Most recent service output:\n    boom');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      action: 'start',
      services: ['svc'],
    });
  });

  it('returns the change id without waiting when wait is false', async () => {
    fake = await startFake({ 'POST /v1/services': () => async('9') });
    expect(await startServices(fake.rq, ['svc'], { wait: false })).toBe('9');
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/services']);
  });

  it('sends replan with no service names, and waits with the given timeout', async () => {
    fake = await startFake({
      'POST /v1/services': () => async('4'),
      'GET /v1/changes/4/wait': () => sync({ ...failed, id: '4', status: 'Done', err: undefined }),
    });
    expect(await replanServices(fake.rq, { timeoutMs: 2000 })).toBe('4');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ action: 'replan', services: [] });
    expect(Number.parseInt(fake.requests[1]?.query.get('timeout') ?? '', 10)).toBeLessThanOrEqual(
      2000,
    );
  });
});

describe('listServices and sendSignal', () => {
  it('tolerates a missing current-since and sends names only when given', async () => {
    fake = await startFake({
      'GET /v1/services': () => sync([{ name: 'a', startup: 'enabled', current: 'active' }]),
      'POST /v1/signals': () => sync(true),
    });
    expect(await listServices(fake.rq)).toEqual([
      { name: 'a', startup: 'enabled', current: 'active' },
    ]);
    expect(fake.requests[0]?.query.toString()).toBe('');
    await listServices(fake.rq, { names: ['a', 'b'] });
    expect(fake.requests[1]?.query.get('names')).toBe('a,b');
    await sendSignal(fake.rq, 'SIGHUP', ['a']);
    expect(JSON.parse(fake.requests[2]?.body ?? '')).toEqual({ signal: 'SIGHUP', services: ['a'] });
  });

  it('converts current-since to a Date', () => {
    const info = toServiceInfo({
      name: 'a',
      current: 'backoff',
      'current-since': '2026-07-22T10:00:00.5Z',
    });
    expect(info.currentSince?.toISOString()).toBe('2026-07-22T10:00:00.500Z');
    expect(info.startup).toBe('disabled');
  });
});
