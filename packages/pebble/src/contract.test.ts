/**
 * The whole contract suite against the real Pebble daemon (a fresh daemon per area), plus what
 * only a real socket can show: a missing socket, and the daemon dying mid-request.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PebbleClient } from './client.ts';
import { describePebbleContract } from './contract/index.ts';
import { ConnectionError } from './errors.ts';
import { realPebbleSkipReason, realPebbleTarget, startRealPebble } from './testing/real-pebble.ts';

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
        try {
          await daemon.client.addLayer('t', {
            services: { slow: { override: 'replace', command: 'sleep 1000' } },
          });
          const changeId = await daemon.client.startServices(['slow'], { wait: false });
          const waiting = daemon.client
            .waitChange(changeId, { timeoutMs: 60_000 })
            .catch((e: unknown) => e);
          const polling = daemon.client
            .listNotices({ keys: ['example.com/never'], timeoutMs: 60_000 })
            .catch((e: unknown) => e);
          await delay(100);
          daemon.kill();
          expect(await waiting).toBeInstanceOf(ConnectionError);
          expect(await polling).toBeInstanceOf(ConnectionError);
        } finally {
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
