/**
 * The checks contract: a check goes down and up, stop/start, refresh, health. Checks use only
 * the exec command `test -f <path>` (up while the file exists), with a long period so that
 * `refreshCheck` alone drives them.
 * @module
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APIError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { waitUntil } from '../testing/wait.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Registers the checks contract tests against the target `makeTarget` builds. */
export function describeChecksContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('checks contract', () => {
    let target: ContractTarget;
    let pebble: Pebble;
    let flag: string;

    useTarget(makeTarget, async (built) => {
      target = built;
      pebble = built.pebble;
      flag = join(target.scratchDir, 'healthy');
      await pebble.addLayer('checks', {
        checks: {
          flag: {
            override: 'replace',
            level: 'ready',
            period: '1h',
            threshold: 1,
            exec: { command: `test -f ${flag}` },
          },
          other: {
            override: 'replace',
            level: 'alive',
            period: '1h',
            exec: { command: `test -f ${flag}` },
          },
        },
      });
    });

    it('lists checks with their level, startup, threshold and counters', async () => {
      const checks = await pebble.listChecks();
      expect(checks.map((c) => c.name)).toEqual(['flag', 'other']);
      const [flagCheck] = checks;
      expect(flagCheck).toMatchObject({
        name: 'flag',
        level: 'ready',
        startup: 'enabled',
        threshold: 1,
        failures: 0,
      });
      expect((await pebble.listChecks({ level: 'alive' })).map((c) => c.name)).toEqual(['other']);
      expect((await pebble.listChecks({ names: ['other'] })).map((c) => c.name)).toEqual(['other']);
    });

    it('goes down when the check fails and up when it passes', async () => {
      // At the threshold Pebble answers the refresh before it switches the check's status and
      // change (in the background): refresh until the switch shows.
      const down = await waitUntil('the flag check to go down', async () => {
        const result = await pebble.refreshCheck('flag');
        return result.info.status === 'down' ? result : undefined;
      });
      expect(down.info).toMatchObject({ name: 'flag', status: 'down' });
      expect(down.info.failures).toBeGreaterThanOrEqual(1);
      expect(down.error).toBeTruthy();
      expect(await pebble.getHealth({ level: 'ready' })).toBe(false);
      expect(await pebble.getHealth({ names: ['other'] })).toBe(true);

      await pebble.push(flag, 'ok');
      const up = await waitUntil('the flag check to come up', async () => {
        const result = await pebble.refreshCheck('flag');
        return result.info.status === 'up' ? result : undefined;
      });
      expect(up.info).toMatchObject({ name: 'flag', status: 'up', failures: 0 });
      expect(up.error).toBeUndefined();
      const [listed] = await pebble.listChecks({ names: ['flag'] });
      expect(listed?.status).toBe('up');
      expect(await pebble.getHealth()).toBe(true);
    });

    it('stops and starts checks, reporting only the ones that changed', async () => {
      expect(await pebble.stopChecks(['flag'])).toEqual(['flag']);
      expect(await pebble.stopChecks(['flag'])).toEqual([]);
      const [stopped] = await pebble.listChecks({ names: ['flag'] });
      expect(stopped?.status).toBe('inactive');
      expect(await pebble.startChecks(['flag', 'other'])).toEqual(['flag']);
      expect(await pebble.startChecks(['flag'])).toEqual([]);
    });

    it('refuses unknown checks', async () => {
      const refresh = await rejectionOf(pebble.refreshCheck('no-such-check'));
      expect(refresh).toBeInstanceOf(APIError);
      expect((refresh as APIError).status).toBe(404);
      const start = await rejectionOf(pebble.startChecks(['no-such-check']));
      expect(start).toBeInstanceOf(APIError);
      expect((start as APIError).status).toBe(400);
    });
  });
}
