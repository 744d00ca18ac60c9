/**
 * The logs contract: recent lines, and following a service until the loop breaks or the
 * signal aborts.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Pebble } from '../pebble.ts';
import type { LogEntry } from '../types.ts';
import { useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Registers the logs contract tests against the target `makeTarget` builds. */
export function describeLogsContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('logs contract', () => {
    let pebble: Pebble;

    useTarget(makeTarget, async (built) => {
      pebble = built.pebble;
      await pebble.addLayer('logs', {
        services: {
          hello: { override: 'replace', command: '/bin/sh -c "echo hello-logs; sleep 1000"' },
          other: { override: 'replace', command: '/bin/sh -c "echo other-logs; sleep 1000"' },
        },
      });
      await pebble.startServices(['hello', 'other']);
    });

    it('returns the recent lines of the chosen services', async () => {
      const entries: LogEntry[] = [];
      for await (const entry of pebble.logs({ services: ['hello'] })) entries.push(entry);
      expect(entries.map((e) => [e.service, e.message])).toEqual([['hello', 'hello-logs']]);
      expect(entries[0]?.time).toBeInstanceOf(Date);

      const all: LogEntry[] = [];
      for await (const entry of pebble.logs({ n: -1 })) all.push(entry);
      expect(all.map((e) => e.message).sort()).toEqual(['hello-logs', 'other-logs']);
    });

    it('follows new lines until the loop breaks', async () => {
      const seen: LogEntry[] = [];
      let restart: Promise<string> | undefined;
      // n: 1 replays the last line first, which proves the stream is live before the restart.
      const signal = AbortSignal.timeout(15_000);
      for await (const entry of pebble.logs({ services: ['hello'], follow: true, n: 1, signal })) {
        seen.push(entry);
        if (seen.length === 1) restart = pebble.restartServices(['hello']);
        if (seen.length === 2) break;
      }
      await restart;
      expect(seen.map((e) => e.message)).toEqual(['hello-logs', 'hello-logs']);
      expect(seen[1]?.time.getTime()).toBeGreaterThan(
        seen[0]?.time.getTime() ?? Number.POSITIVE_INFINITY,
      );
    });

    it('stops following when the signal aborts', async () => {
      const controller = new AbortController();
      const follow = (async () => {
        for await (const _entry of pebble.logs({
          services: ['other'],
          follow: true,
          signal: controller.signal,
        })) {
          // Nothing new is printed; only the abort ends this loop.
        }
      })();
      setTimeout(() => controller.abort(new Error('enough')), 100);
      await expect(follow).rejects.toThrow('enough');
    });
  });
}
