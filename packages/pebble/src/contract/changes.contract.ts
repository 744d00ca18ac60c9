/**
 * The changes contract: list, get, wait (with its timeout), abort.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { APIError, TimeoutError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Registers the changes contract tests against the target `makeTarget` builds. */
export function describeChangesContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('changes contract', () => {
    let pebble: Pebble;

    useTarget(makeTarget, async (built) => {
      pebble = built.pebble;
      await pebble.addLayer('changes', {
        services: {
          waiter: { override: 'replace', command: 'sleep 1000' },
          aborted: { override: 'replace', command: 'sleep 1000' },
        },
      });
    });

    it('times out a wait on an unfinished change, then waits it out', async () => {
      // Pebble holds a start change for about a second, until the service has stayed up.
      const changeId = await pebble.startServices(['waiter'], { wait: false });
      const error = await rejectionOf(pebble.waitChange(changeId, { timeoutMs: 50 }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toContain(changeId);
      const inProgress = await pebble.listChanges();
      expect(inProgress.map((c) => c.id)).toContain(changeId);

      const change = await pebble.waitChange(changeId);
      expect(change).toMatchObject({ id: changeId, kind: 'start', status: 'Done', ready: true });
      expect(change.summary).toBe('Start service "waiter"');
      expect(change.readyTime).toBeInstanceOf(Date);
      expect(change.tasks.length).toBeGreaterThan(0);
      expect(change.tasks[0]).toMatchObject({ kind: 'start', status: 'Done' });
    });

    it('lists and gets changes', async () => {
      const ready = await pebble.listChanges({ select: 'ready' });
      const [first] = ready;
      expect(first?.ready).toBe(true);
      const all = await pebble.listChanges({ select: 'all', service: 'waiter' });
      expect(all.every((c) => c.summary.includes('"waiter"'))).toBe(true);
      expect(all.length).toBeGreaterThan(0);
      const got = await pebble.getChange(first?.id ?? '');
      expect(got).toEqual(first);
    });

    it('aborts a change in progress; it then ends in Error (or Hold, if no task had started)', async () => {
      const changeId = await pebble.startServices(['aborted'], { wait: false });
      const aborting = await pebble.abortChange(changeId);
      expect(aborting.id).toBe(changeId);
      const change = await pebble.waitChange(changeId);
      expect(change).toMatchObject({ id: changeId, ready: true });
      expect(['Error', 'Hold']).toContain(change.status);
      const again = await rejectionOf(pebble.abortChange(changeId));
      expect(again).toBeInstanceOf(APIError);
      expect((again as APIError).status).toBe(400);
    });

    it('answers 404 for an unknown change and refuses a malformed id unsent', async () => {
      const missing = await rejectionOf(pebble.getChange('987654'));
      expect(missing).toBeInstanceOf(APIError);
      expect((missing as APIError).status).toBe(404);
      expect(await rejectionOf(pebble.getChange('../plan'))).toBeInstanceOf(TypeError);
      expect(await rejectionOf(pebble.waitChange('A B'))).toBeInstanceOf(TypeError);
    });
  });
}
