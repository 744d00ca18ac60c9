/**
 * Exec on the wire, against a fake Pebble that cannot upgrade to websockets: the payload
 * `exec` sends, and what the caller gets when the I/O sockets cannot be connected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { ChangeError, ConnectionError } from './errors.ts';
import { exec } from './exec.ts';

const accepted = {
  status: 202,
  body: {
    type: 'async',
    'status-code': 202,
    status: 'Accepted',
    change: '7',
    result: { 'task-id': '8', environment: {}, 'working-dir': '/' },
  },
};

function change(err?: string) {
  return {
    id: '7',
    kind: 'exec',
    summary: 'Execute command "x"',
    status: err ? 'Error' : 'Done',
    ready: true,
    ...(err ? { err } : {}),
    'spawn-time': '2026-01-01T00:00:00Z',
    tasks: [{ id: '8', kind: 'exec', summary: 'x', status: err ? 'Error' : 'Done', log: [] }],
  };
}

describe('exec on the wire', () => {
  let fake: FakePebble;
  afterEach(async () => {
    await fake?.close();
  });

  it('sends Pebble’s payload and reports the task error when the sockets cannot connect', async () => {
    fake = await startFake({
      'POST /v1/exec': () => accepted,
      'GET /v1/changes/7/wait': () =>
        sync(
          change('exec 8: timeout waiting for websocket connections: context deadline exceeded'),
        ),
    });
    const failure = await exec(fake.rq, ['echo', 'hi'], {
      environment: { A: '1' },
      workingDir: '/tmp',
      timeoutMs: 1500,
      userId: 0,
      groupId: 0,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChangeError);
    expect((failure as ChangeError).err).toContain('websocket');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      command: ['echo', 'hi'],
      environment: { A: '1' },
      'working-dir': '/tmp',
      timeout: '1500ms',
      'user-id': 0,
      'group-id': 0,
      terminal: false,
      interactive: false,
      'split-stderr': true,
    });
    // It tried the control, stdio and stderr sockets of the task.
    const sockets = fake.requests.map((r) => r.path).filter((p) => p.includes('/websocket/'));
    expect(sockets.sort()).toEqual([
      '/v1/tasks/8/websocket/control',
      '/v1/tasks/8/websocket/stderr',
      '/v1/tasks/8/websocket/stdio',
    ]);
  });

  it('sends terminal mode as Pebble’s interactive only with a terminal, and no stderr socket', async () => {
    fake = await startFake({
      'POST /v1/exec': () => accepted,
      'GET /v1/changes/7/wait': () => sync(change()),
    });
    const failure = await exec(fake.rq, ['sh'], {
      terminal: true,
      interactive: true,
      combineStderr: true,
      width: 80,
      height: 24,
    }).catch((e: unknown) => e);
    // The change finished without an error, yet no socket connected: a ConnectionError.
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as ConnectionError).message).toContain(fake.socketPath);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toMatchObject({
      terminal: true,
      interactive: true,
      'split-stderr': false,
      width: 80,
      height: 24,
    });
    expect(fake.requests.some((r) => r.path.endsWith('/stderr'))).toBe(false);
  });
});
