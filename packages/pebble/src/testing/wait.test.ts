import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WaitTimeoutError, waitForPort, waitUntil } from './wait.ts';

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

describe('waitUntil', () => {
  it('returns the first value that is neither undefined nor false', async () => {
    const answers = [undefined, false, 0, 1];
    let calls = 0;
    expect(await waitUntil('a number', () => answers[calls++], { intervalMs: 1 })).toBe(0);
    expect(calls).toBe(3);
  });

  it('treats a throwing probe as "not yet"', async () => {
    let calls = 0;
    const value = await waitUntil(
      'the third call',
      () => {
        calls += 1;
        if (calls < 3) throw new Error(`call ${calls} failed`);
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done');
  });

  it('gives up at the deadline, naming what never happened, the last error and state', async () => {
    let calls = 0;
    const error = await waitUntil(
      'the flag to be set',
      () => {
        calls += 1;
        throw new Error(`not yet (${calls})`);
      },
      { timeoutMs: 100, intervalMs: 10, lastSeen: () => 'flag=0' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ what: 'the flag to be set', timeoutMs: 100 });
    expect((error as Error).message).toBe(
      `gave up after 100 ms waiting for the flag to be set; last error: not yet (${calls}); last seen: flag=0`,
    );
  });

  it('still reports when describing the last state fails', async () => {
    const error = await waitUntil('never', () => undefined, {
      timeoutMs: 20,
      lastSeen: () => {
        throw new Error('state file is gone');
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'gave up after 20 ms waiting for never; last seen: (unreadable: state file is gone)',
    );
  });
});

describe('waitForPort', () => {
  it('resolves when the port accepts a connection', async () => {
    const server = createServer((socket) => socket.end());
    const port = await listen(server);
    try {
      await waitForPort('127.0.0.1', port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names the address and the connection error when nothing listens', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const error = await waitForPort('127.0.0.1', port, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `waiting for 127\\.0\\.0\\.1:${port} to accept a TCP connection; last error: .*ECONNREFUSED`,
      ),
    );
  });
});
