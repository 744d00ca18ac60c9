/**
 * The layers and plan contract: Pebble's combination rules, falsy values kept, refusals.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { APIError, LayerValidationError } from '../errors.ts';
import { combineLayers, mergeLayers } from '../layer-combine.ts';
import type { Pebble } from '../pebble.ts';
import type { Layer } from '../types.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

const base: Layer = {
  summary: 'base layer',
  services: {
    web: {
      override: 'replace',
      command: 'sleep 1000',
      'user-id': 0,
      environment: { EMPTY: '', MODE: 'base' },
      after: ['db'],
      requires: ['db'],
      'backoff-delay': '90s',
      'backoff-factor': 1.5,
    },
    db: { override: 'replace', command: 'sleep 1000', startup: 'disabled' },
  },
  checks: {
    alive: { override: 'replace', level: 'alive', period: '100s', tcp: { port: 9 } },
  },
};

const over: Layer = {
  services: {
    web: {
      override: 'merge',
      environment: { MODE: 'over', EXTRA: 'x' },
      requires: ['cache'],
      'on-check-failure': { alive: 'restart' },
      'kill-delay': '1500ms',
    },
    db: { override: 'replace', command: 'sleep 1000 [ --fast ]', requires: ['cache'] },
    cache: { override: 'merge', command: 'sleep 1000', 'working-dir': '/tmp' },
  },
  checks: {
    alive: { override: 'merge', threshold: 5, tcp: { host: 'localhost' } },
    ready: {
      override: 'replace',
      level: 'ready',
      timeout: '20s',
      http: { url: 'http://localhost:9/' },
    },
  },
};

const baseAgain: Layer = {
  summary: 'base, combined',
  services: {
    web: { override: 'merge', command: 'sleep 1001', 'user-id': 0, before: ['cache'] },
  },
  checks: { alive: { override: 'merge', http: undefined } },
};

/** Registers the plan contract tests against the target `makeTarget` builds. */
export function describePlanContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('plan contract', () => {
    let pebble: Pebble;

    useTarget(makeTarget, (built) => {
      pebble = built.pebble;
    });

    it('starts with an empty plan', async () => {
      expect(await pebble.getPlan()).toEqual({ services: {}, checks: {}, 'log-targets': {} });
    });

    it('combines layers exactly as combineLayers computes', async () => {
      await pebble.addLayer('base', base);
      expect(await pebble.getPlan()).toEqual(combineLayers([base]));
      await pebble.addLayer('over', over);
      expect(await pebble.getPlan()).toEqual(combineLayers([base, over]));
      // combine: true merges into the existing "base" layer, below "over".
      await pebble.addLayer('base', baseAgain, { combine: true });
      const plan = await pebble.getPlan();
      expect(plan).toEqual(combineLayers([mergeLayers([base, baseAgain]), over]));
    });

    it('combines log targets, exec checks and empty values as combineLayers computes', async () => {
      const layers: Layer[] = [
        {
          services: {
            logger: { override: 'replace', command: 'sleep 1000', startup: '' as 'enabled' },
          },
          checks: {
            ctx: {
              override: 'replace',
              startup: 'disabled',
              period: '1h',
              exec: { command: 'true', 'service-context': 'logger', environment: { X: '' } },
            },
          },
          'log-targets': {
            lt: {
              override: 'merge',
              type: 'loki',
              location: 'http://127.0.0.1:9/',
              services: ['logger'],
            },
          },
        },
        {
          checks: {
            ctx: { override: 'merge', exec: { 'working-dir': '/tmp', environment: { Y: 'y' } } },
          },
          'log-targets': {
            lt: {
              override: 'merge',
              services: ['-logger', 'all'],
              labels: { env: 'test', empty: '' },
            },
            syslog: { override: 'replace', type: 'syslog', location: 'udp://127.0.0.1:9' },
          },
        },
      ];
      await pebble.addLayer('targets-1', layers[0] as Layer);
      await pebble.addLayer('targets-2', layers[1] as Layer);
      const plan = await pebble.getPlan();
      expect(plan).toEqual(combineLayers([mergeLayers([base, baseAgain]), over, ...layers]));
      expect(plan['log-targets'].syslog?.services).toEqual([]);
      expect(plan.checks.ctx?.exec?.environment).toEqual({ X: '', Y: 'y' });
      expect(plan.services.logger).toEqual({ override: 'replace', command: 'sleep 1000' });
    });

    it("keeps falsy values and applies Pebble's merge rules", async () => {
      const plan = await pebble.getPlan();
      expect(plan.services.web).toEqual({
        override: 'replace',
        command: 'sleep 1001',
        'user-id': 0,
        environment: { EMPTY: '', MODE: 'over', EXTRA: 'x' },
        after: ['db'],
        before: ['cache'],
        requires: ['db', 'cache'],
        'on-check-failure': { alive: 'restart' },
        'backoff-delay': '1m30s',
        'backoff-factor': 1.5,
        'kill-delay': '1.5s',
      });
      expect(plan.services.db).toEqual({
        override: 'replace',
        command: 'sleep 1000 [ --fast ]',
        requires: ['cache'],
      });
      expect(plan.checks.alive).toEqual({
        override: 'replace',
        level: 'alive',
        period: '1m40s',
        threshold: 5,
        tcp: { port: 9, host: 'localhost' },
      });
      // A timeout above the (default 10 s) period is capped at it.
      expect(plan.checks.ready).toMatchObject({ timeout: '10s', threshold: 3 });
    });

    it('accepts a layer written as YAML text, reading scalars as Pebble does', async () => {
      await pebble.addLayer(
        'yaml',
        [
          'services:',
          '  from-yaml:',
          '    override: replace',
          '    command: sleep 1000',
          '    user-id: 0',
          '    environment: {PORT: 8080, DEBUG: true, RATIO: 1.50}',
        ].join('\n'),
      );
      expect((await pebble.getPlan()).services['from-yaml']).toEqual({
        override: 'replace',
        command: 'sleep 1000',
        'user-id': 0,
        environment: { PORT: '8080', DEBUG: 'true', RATIO: '1.50' },
      });
    });

    it('keeps the timeout Pebble capped when it combined a layer', async () => {
      const first: Layer = {
        checks: { capped: { override: 'replace', period: '5s', timeout: '10s', tcp: { port: 1 } } },
      };
      const second: Layer = { checks: { capped: { override: 'merge', threshold: 2 } } };
      const third: Layer = { checks: { capped: { override: 'merge', period: '30s' } } };
      await pebble.addLayer('capped', first);
      await pebble.addLayer('capped', second, { combine: true });
      await pebble.addLayer('capped-later', third);
      const plan = await pebble.getPlan();
      expect(plan.checks.capped).toEqual({
        override: 'replace',
        period: '30s',
        timeout: '5s',
        threshold: 2,
        tcp: { port: 1 },
      });
    });

    it('inserts a sub-directory layer before later layers only with inner', async () => {
      const layer = (command: string): Layer => ({
        services: { ordered: { override: 'replace', command } },
      });
      await pebble.addLayer('dir/first', layer('sleep 1001'));
      await pebble.addLayer('after-dir', layer('sleep 1002'));
      const refused = await rejectionOf(pebble.addLayer('dir/second', layer('sleep 1003')));
      expect(refused).toBeInstanceOf(APIError);
      expect((refused as APIError).message).toContain("without 'inner' attribute set");
      await pebble.addLayer('dir/second', layer('sleep 1003'), { inner: true });
      // dir/second sits below after-dir, so after-dir's definition still wins.
      expect((await pebble.getPlan()).services.ordered?.command).toBe('sleep 1002');
    });

    it('refuses a second layer with the same label unless combining', async () => {
      const error = await rejectionOf(
        pebble.addLayer('over', {
          services: { x: { override: 'replace', command: 'sleep 1000' } },
        }),
      );
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(400);
      expect((error as APIError).message).toBe('layer "over" already exists');
    });

    it('refuses what Pebble would refuse before sending it, naming the key', async () => {
      const before = await pebble.getPlan();
      const cases: Array<[unknown, string]> = [
        [{ services: { a: { command: 'sleep 1000' } } }, 'services.a.override'],
        [{ services: { a: { override: 'merge', startup: 'enable' } } }, 'services.a.startup'],
        [{ services: { a: { override: 'merge', 'kill-delay': '5' } } }, 'services.a.kill-delay'],
        [
          { services: { a: { override: 'merge', 'backoff-factor': 0.5 } } },
          'services.a.backoff-factor',
        ],
        [
          { services: { a: { override: 'merge', 'on-success': 'success-shutdown' } } },
          'services.a.on-success',
        ],
        [{ services: { a: { override: 'merge', comand: 'x' } } }, 'services.a.comand'],
        [{ services: { a: { override: 'replace' } } }, 'services.a.command'],
        [
          { services: { a: { override: 'merge', command: 'x [ a [ b ] ]' } } },
          'services.a.command',
        ],
        [
          { checks: { c: { override: 'merge', tcp: { port: 1 }, http: { url: 'x' } } } },
          'checks.c',
        ],
        [
          { checks: { c: { override: 'merge', period: '0s', tcp: { port: 1 } } } },
          'checks.c.period',
        ],
        [{ checks: { c: { override: 'merge', level: 'alive-ish' } } }, 'checks.c.level'],
        [{ 'log-target': {} }, 'log-target'],
      ];
      for (const [layer, key] of cases) {
        const error = await rejectionOf(pebble.addLayer('refused', layer as Layer));
        expect(error, key).toBeInstanceOf(LayerValidationError);
        expect((error as LayerValidationError).key).toBe(key);
      }
      expect(await pebble.getPlan()).toEqual(before);
    });

    it('refuses a layer whose combined plan is invalid, changing nothing', async () => {
      const before = await pebble.getPlan();
      const error = await rejectionOf(
        pebble.addLayer('loop', {
          services: {
            one: { override: 'replace', command: 'sleep 1000', after: ['two'] },
            two: { override: 'replace', command: 'sleep 1000', after: ['one'] },
          },
        }),
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain('services in before/after loop: one, two');
      expect(await pebble.getPlan()).toEqual(before);
    });
  });
}
