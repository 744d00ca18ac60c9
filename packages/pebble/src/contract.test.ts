/**
 * The whole contract suite against the real Pebble daemon (a fresh daemon per area), plus what
 * only a real socket can show: a missing socket, and the daemon dying mid-request.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PebbleClient } from './client.ts';
import { describePebbleContract } from './contract/index.ts';
import { ConnectionError } from './errors.ts';
import { realPebbleSkipReason, realPebbleTarget, startRealPebble } from './testing/real-pebble.ts';
import { waitUntil } from './testing/wait.ts';

/** How many sockets process `pid` has open (a daemon: its listener and accepted connections). */
function openSockets(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) count++;
    } catch {
      // Closed while we looked.
    }
  }
  return count;
}

const skipReason = realPebbleSkipReason();

describe.skipIf(skipReason !== undefined)(
  `real pebble${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    describePebbleContract(realPebbleTarget);

    describe('transport', () => {
      it('throws ConnectionError naming the socket when there is none', async () => {
        const socketPath = '/tmp/charm-ts-no-such-dir/.pebble.socket';
        const client = new PebbleClient({ socketPath, retryMs: 0 });
        const error = await client.getSystemInfo().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).socketPath).toBe(socketPath);
        expect((error as ConnectionError).message).toContain(socketPath);
        expect(await client.canConnect()).toBe(false);
        await client.close();
      });

      it('throws ConnectionError, not a hang, when the daemon dies during a long-poll', async () => {
        const daemon = await startRealPebble();
        const poller = new PebbleClient({ socketPath: daemon.socketPath, retryMs: 0 });
        try {
          // A running check's change stays in progress (its period never elapses here): only
          // the daemon's death can end a wait on it.
          await daemon.client.addLayer('t', {
            checks: { idle: { override: 'replace', period: '1h', exec: { command: 'true' } } },
          });
          const [check] = await daemon.client.listChecks({ names: ['idle'] });
          const changeId = check?.changeId;
          if (!changeId) throw new Error('the idle check has no change');
          const before = openSockets(daemon.pid);
          const waiting = poller
            .waitChange(changeId, { timeoutMs: 60_000 })
            .catch((e: unknown) => e);
          const polling = poller
            .listNotices({ keys: ['example.com/never'], timeoutMs: 60_000 })
            .catch((e: unknown) => e);
          // Both requests are on connections the daemon accepted before it dies.
          await waitUntil('the daemon to accept both long-poll connections', () =>
            openSockets(daemon.pid) >= before + 2 ? true : undefined,
          );
          daemon.kill();
          expect(await waiting).toBeInstanceOf(ConnectionError);
          expect(await polling).toBeInstanceOf(ConnectionError);
        } finally {
          await poller.close();
          await daemon.close();
        }
      });

      it('ends a followed log stream with ConnectionError when the daemon dies', async () => {
        const daemon = await startRealPebble();
        try {
          await daemon.client.addLayer('t', {
            services: {
              chatty: { override: 'replace', command: '/bin/sh -c "echo up; sleep 1000"' },
            },
          });
          await daemon.client.startServices(['chatty']);
          const follow = (async () => {
            for await (const entry of daemon.client.logs({ follow: true, n: 1 })) {
              if (entry.message === 'up') daemon.kill();
            }
          })();
          await expect(follow).rejects.toBeInstanceOf(ConnectionError);
        } finally {
          await daemon.close();
        }
      });
    });
  },
);
