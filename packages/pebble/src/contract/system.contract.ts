/**
 * The system contract: system-info, health without checks, identities, metrics.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { APIError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { waitUntil } from '../testing/wait.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Registers the system contract tests against the target `makeTarget` builds. */
export function describeSystemContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('system contract', () => {
    let pebble: Pebble;

    useTarget(makeTarget, (built) => {
      pebble = built.pebble;
    });

    it('answers system-info and can connect', async () => {
      expect(await pebble.canConnect()).toBe(true);
      const info = await pebble.getSystemInfo();
      expect(info.version).toMatch(/\S/);
      expect(typeof info.bootId).toBe('string');
    });

    it('is healthy with no checks', async () => {
      expect(await pebble.getHealth()).toBe(true);
      expect(await pebble.getHealth({ level: 'alive' })).toBe(true);
    });

    it('adds, updates, replaces and removes identities', async () => {
      expect(await pebble.listIdentities()).toEqual({});
      await pebble.addIdentities({ bob: { access: 'read', local: { userId: 4242 } } });
      expect(await pebble.listIdentities()).toEqual({
        bob: { access: 'read', local: { userId: 4242 } },
      });
      const duplicate = await rejectionOf(
        pebble.addIdentities({ bob: { access: 'read', local: { userId: 4243 } } }),
      );
      expect(duplicate).toBeInstanceOf(APIError);
      await pebble.updateIdentities({ bob: { access: 'admin', local: { userId: 4242 } } });
      expect((await pebble.listIdentities()).bob?.access).toBe('admin');
      await pebble.replaceIdentities({
        bob: null,
        alice: { access: 'metrics', local: { userId: 4244 } },
      });
      expect(await pebble.listIdentities()).toEqual({
        alice: { access: 'metrics', local: { userId: 4244 } },
      });
      await pebble.removeIdentities(['alice']);
      expect(await pebble.listIdentities()).toEqual({});
    });

    it('serves OpenMetrics text', async () => {
      await pebble.addLayer('metrics', {
        services: { measured: { override: 'replace', command: 'sleep 1000' } },
      });
      const empty = await pebble.getMetrics();
      expect(typeof empty).toBe('string');
      await pebble.startServices(['measured'], { wait: false });
      const text = await waitUntil('a start count in the metrics', async () => {
        const metrics = await pebble.getMetrics();
        return metrics.includes('pebble_service_start_count{service="measured"} 1')
          ? metrics
          : undefined;
      });
      expect(text).toContain('# TYPE pebble_service_start_count counter');
    });
  });
}
