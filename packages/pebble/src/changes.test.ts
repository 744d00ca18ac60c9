import { afterEach, describe, expect, it } from 'vitest';
import { error, type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { abortChange, getChange, listChanges, toChange, waitChange } from './changes.ts';
import { TimeoutError } from './errors.ts';

const doneChange = {
  id: '7',
  kind: 'start',
  summary: 'Start service "a"',
  status: 'Done',
  ready: true,
  'spawn-time': '2026-07-22T10:00:00.123456789Z',
  'ready-time': '2026-07-22T10:00:01Z',
  tasks: [
    {
      id: '8',
      kind: 'start',
      summary: 'Start service "a"',
      status: 'Done',
      log: ['2026-07-22T10:00:00Z INFO started'],
      progress: { label: '', done: 1, total: 1 },
      'spawn-time': '2026-07-22T10:00:00Z',
      data: { 'exit-code': 0 },
    },
  ],
};

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('toChange', () => {
  it('converts the wire shape', () => {
    const change = toChange(doneChange);
    expect(change).toMatchObject({ id: '7', kind: 'start', status: 'Done', ready: true, data: {} });
    expect(change.spawnTime.toISOString()).toBe('2026-07-22T10:00:00.123Z');
    expect(change.readyTime?.toISOString()).toBe('2026-07-22T10:00:01.000Z');
    expect(change.tasks[0]).toMatchObject({
      id: '8',
      log: ['2026-07-22T10:00:00Z INFO started'],
      data: { 'exit-code': 0 },
    });
    expect(change.err).toBeUndefined();
  });

  it('tolerates the fields an older daemon leaves out', () => {
    const change = toChange({ id: '1', status: 'Error', tasks: [{ id: '2' }], data: null });
    expect(change).toEqual({
      id: '1',
      kind: '',
      summary: '',
      status: 'Error',
      ready: true,
      spawnTime: new Date(0),
      tasks: [
        {
          id: '2',
          kind: '',
          summary: '',
          status: 'Default',
          log: [],
          progress: { label: '', done: 0, total: 0 },
          spawnTime: new Date(0),
          data: {},
        },
      ],
      data: {},
    });
    expect(toChange({ id: '1', status: 'Doing' }).ready).toBe(false);
  });

  it('refuses something that is not a change', () => {
    expect(() => toChange(null)).toThrow('not a change object');
    expect(() => toChange({ kind: 'x' })).toThrow('not a change object');
  });
});

describe('waitChange', () => {
  it('treats 504 as "not yet" and asks again', async () => {
    let calls = 0;
    fake = await startFake({
      'GET /v1/changes/7/wait': () => {
        calls += 1;
        return calls < 3 ? error(504, 'timed out waiting for change after 10s') : sync(doneChange);
      },
    });
    const change = await waitChange(fake.rq, '7', { timeoutMs: 5000 });
    expect(change.id).toBe('7');
    expect(calls).toBe(3);
    const timeout = fake.requests[0]?.query.get('timeout') ?? '';
    expect(timeout).toMatch(/^\d+ms$/);
    expect(Number.parseInt(timeout, 10)).toBeLessThanOrEqual(5000);
  });

  it('throws TimeoutError once its own deadline passes', async () => {
    fake = await startFake({
      'GET /v1/changes/7/wait': () => error(504, 'timed out waiting for change'),
    });
    await expect(waitChange(fake.rq, '7', { timeoutMs: 30 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('falls back to polling on a daemon without /wait', async () => {
    let polls = 0;
    fake = await startFake({
      'GET /v1/changes/7': () => {
        polls += 1;
        return sync(polls < 2 ? { ...doneChange, status: 'Doing', ready: false } : doneChange);
      },
    });
    expect((await waitChange(fake.rq, '7', { timeoutMs: 5000 })).ready).toBe(true);
    expect(polls).toBe(2);
  });

  it('rejects with the signal reason when aborted', async () => {
    fake = await startFake({
      'GET /v1/changes/7/wait': () => new Promise(() => {}),
    });
    const controller = new AbortController();
    const waiting = waitChange(fake.rq, '7', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 20);
    await expect(waiting).rejects.toThrow('stop waiting');
  });

  it('validates the id before sending', async () => {
    fake = await startFake({});
    await expect(waitChange(fake.rq, '7/../x')).rejects.toBeInstanceOf(TypeError);
    expect(fake.requests).toEqual([]);
  });
});

describe('list, get and abort', () => {
  it('sends the filters and the abort action', async () => {
    fake = await startFake({
      'GET /v1/changes': () => sync([doneChange]),
      'GET /v1/changes/7': () => sync(doneChange),
      'POST /v1/changes/7': () => sync({ ...doneChange, status: 'Abort', ready: false }),
    });
    expect((await listChanges(fake.rq, { select: 'all', service: 'a' })).map((c) => c.id)).toEqual([
      '7',
    ]);
    expect(fake.requests[0]?.query.toString()).toBe('select=all&for=a');
    expect((await listChanges(fake.rq)).length).toBe(1);
    expect(fake.requests[1]?.query.toString()).toBe('');
    expect((await getChange(fake.rq, '7')).id).toBe('7');
    expect((await abortChange(fake.rq, '7')).status).toBe('Abort');
    expect(JSON.parse(fake.requests[3]?.body ?? '')).toEqual({ action: 'abort' });
  });
});
