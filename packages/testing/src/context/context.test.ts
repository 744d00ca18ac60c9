/**
 * The Context end to end, on a small two-container charm: start order, relation data and
 * Juju's access rules, actions, stored state, deferral, the consistency check.
 */
import { fileURLToPath } from 'node:url';
import type { Framework, UnitEvent } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { InconsistentStateError, UncaughtCharmError } from '../errors.ts';
import {
  container,
  deferred,
  peerRelation,
  relation,
  secret,
  state,
  status,
  storage,
} from '../state/builders.ts';
import { Context } from './context.ts';
import { TwoContainersCharm } from './fixtures/two-containers/charm.ts';

const charmDir = fileURLToPath(new URL('./fixtures/two-containers', import.meta.url));
const ctx = new Context(TwoContainersCharm, { charmDir });
const ready = (name: string) => container({ name });

describe('Context: start order of a two-container charm', () => {
  it('waits for redis when its Pebble is not up', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      state({ containers: [container({ name: 'redis', canConnect: false }), ready('web')] }),
    );
    expect(out.unitStatus).toEqual(status.waiting('waiting for the redis container'));
    expect(out.containers[1]?.plan.services).toEqual({});
  });

  it('starts redis, then waits for the web container', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(ready('redis')),
      state({ containers: [ready('redis'), container({ name: 'web', canConnect: false })] }),
    );
    expect(out.containers[0]?.serviceStatuses).toEqual({ redis: 'active' });
    expect(out.unitStatus).toEqual(status.waiting('waiting for the web container'));
  });

  it('runs both, opens the port, sets the version, and counts reconciles in stored state', async () => {
    const input = state({ config: { port: 8080 }, containers: [ready('redis'), ready('web')] });
    const out = await ctx.run(ctx.on.pebbleReady(ready('web')), input);
    expect(out.containers.map((c) => c.serviceStatuses)).toEqual([
      { redis: 'active' },
      { web: 'active' },
    ]);
    expect(out.containers[1]?.plan.services.web?.command).toBe('web --port 8080');
    expect(out.unitStatus).toEqual(status.active());
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 8080 }]);
    expect(out.workloadVersion).toBe('7.2');
    expect(out.storedState).toEqual({ reconciles: 1 });
    expect(ctx.unitStatusHistory).toEqual([status.active()]);
    expect(ctx.hookToolCalls.map((c) => c.tool)).toContain('open-port');
    // The output feeds the next event; the input is untouched.
    const again = await ctx.run(ctx.on.configChanged(), {
      ...out,
      config: { port: 8080, greeting: 'hi' },
    });
    expect(again.storedState).toEqual({ reconciles: 2 });
    expect(again.containers[1]?.plan.services.web?.environment).toEqual({ GREETING: 'hi' });
    expect(input.storedState).toEqual({});
    expect(Object.isFrozen(out)).toBe(true);
  });

  it('restarts only the changed service on a config change (real replan semantics)', async () => {
    const first = await ctx.run(
      ctx.on.configChanged(),
      state({ containers: [ready('redis'), ready('web')] }),
    );
    const second = await ctx.run(ctx.on.configChanged(), { ...first, config: { port: 9000 } });
    const redisChanges = second.containers[0]?.execHistory;
    expect(redisChanges).toEqual([]);
    expect(second.containers[1]?.plan.services.web?.command).toBe('web --port 9000');
  });
});

describe('Context: relations and Juju rules', () => {
  it('writes unit and app data as the leader', async () => {
    const website = relation({ endpoint: 'website', remoteApp: 'proxy' });
    const out = await ctx.run(
      ctx.on.relationChanged(website),
      state({ leader: true, relations: [website] }),
    );
    expect(out.relations[0]).toMatchObject({
      localUnitData: { hostname: 'two-containers-0', port: '5000' },
      localAppData: { port: '5000' },
    });
  });

  it('gives peers the app bag and hides a departing unit', async () => {
    const cluster = peerRelation({ endpoint: 'cluster', peersData: { 1: { a: '1' }, 2: {} } });
    const out = await ctx.run(
      ctx.on.relationDeparted(cluster, { remoteUnit: 2 }),
      state({ relations: [cluster] }),
    );
    expect(out.relations[0]).toMatchObject({ peer: true, peersData: { 1: { a: '1' }, 2: {} } });
  });
});

describe('Context: actions', () => {
  it('returns results and logs, with the params defaults applied', async () => {
    const redis = container({ name: 'redis', execs: { 'redis-cli ping': { stdout: 'PONG\n' } } });
    const out = await ctx.run(ctx.on.action('ping'), state({ containers: [redis, ready('web')] }));
    expect(ctx.action).toEqual({
      results: { reply: 'PONG' },
      logs: ['pinging redis'],
      failure: undefined,
    });
    expect(ctx.execHistory.redis?.[0]?.command).toEqual(['redis-cli', 'ping']);
    expect(out.unitStatus).toEqual(status.unknown());
  });

  it('reports the failure message', async () => {
    const redis = container({
      name: 'redis',
      execs: { 'redis-cli': { exitCode: 1, stderr: 'refused' } },
    });
    await ctx.run(ctx.on.action('ping'), state({ containers: [redis] }));
    expect(ctx.action?.failure).toContain(
      'ping failed: command ["redis-cli","ping"] exited with code 1',
    );
  });
});

describe('Context: consistency check', () => {
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    [
      'undeclared endpoint',
      () => ctx.run(ctx.on.start(), state({ relations: [relation({ endpoint: 'db' })] })),
      'state.relations[0].endpoint',
    ],
    [
      'peer endpoint as a relation',
      () => ctx.run(ctx.on.start(), state({ relations: [relation({ endpoint: 'cluster' })] })),
      'state.relations[0]',
    ],
    [
      'undeclared container',
      () => ctx.run(ctx.on.start(), state({ containers: [ready('db')] })),
      'state.containers[0].name',
    ],
    [
      'undeclared config key',
      () => ctx.run(ctx.on.start(), state({ config: { colour: 'red' } })),
      'state.config.colour',
    ],
    [
      'config of the wrong type',
      () => ctx.run(ctx.on.start(), state({ config: { port: '80' } })),
      'state.config.port',
    ],
    ['undeclared action', () => ctx.run(ctx.on.action('reboot'), state()), 'event.action'],
    [
      'unknown action param',
      () => ctx.run(ctx.on.action('ping', { colour: 1 }), state()),
      'event.params.colour',
    ],
    [
      'pebble-ready without Pebble',
      () =>
        ctx.run(
          ctx.on.pebbleReady(container({ name: 'redis', canConnect: false })),
          state({ containers: [container({ name: 'redis', canConnect: false })] }),
        ),
      'state.containers[0].canConnect',
    ],
    [
      'relation event for a relation not in the state',
      () => ctx.run(ctx.on.relationChanged(relation({ endpoint: 'website' })), state()),
      'event.relation',
    ],
    [
      'a remote unit the relation does not have',
      () => {
        const website = relation({ endpoint: 'website' });
        return ctx.run(
          ctx.on.relationChanged(website, { remoteUnit: 7 }),
          state({ relations: [website] }),
        );
      },
      'event.remoteUnit',
    ],
    [
      'a status for a service no layer defines',
      () =>
        ctx.run(
          ctx.on.start(),
          state({
            containers: [container({ name: 'redis', serviceStatuses: { redis: 'active' } })],
          }),
        ),
      'state.containers[0].serviceStatuses.redis',
    ],
    [
      'undeclared storage',
      () => ctx.run(ctx.on.start(), state({ storages: [storage({ name: 'logs' })] })),
      'state.storages[0].name',
    ],
  ];
  for (const [what, run, field] of cases) {
    it(`refuses ${what}, naming ${field}`, async () => {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InconsistentStateError);
      expect((error as InconsistentStateError).field).toBe(field);
    });
  }
});

describe('Context: failures, deferral, secrets', () => {
  it('throws UncaughtCharmError when the charm throws, logging it through juju-log', async () => {
    // A declared container absent from the State never answers: exec throws ConnectionError.
    const error = await ctx.run(ctx.on.action('ping'), state()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as UncaughtCharmError).cause).toMatchObject({ name: 'ConnectionError' });
    expect(ctx.jujuLog.at(-1)).toMatchObject({ level: 'ERROR' });
    expect(ctx.jujuLog.at(-1)?.message).toContain('Uncaught error in charm code');
    expect(ctx.action?.logs).toEqual(['pinging redis']);
  });

  it('re-runs a deferred event before the new one, emptying the queue', async () => {
    const queued = deferred({ hook: 'hooks/config-changed', observer: 'reconcile', env: {} });
    const out = await ctx.run(ctx.on.updateStatus(), state({ deferred: [queued] }));
    expect(out.deferred).toEqual([]);
    expect(out.storedState).toEqual({ reconciles: 2 });
  });

  it('a deferred event goes back to the handler it names, whatever the order of observers', async () => {
    const seen: string[] = [];
    class Two extends TwoContainersCharm {
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(this.onFirst.bind(this));
        this.on.configChanged(this.onSecond.bind(this));
      }
      onFirst() {
        seen.push('first');
      }
      onSecond(e: UnitEvent) {
        seen.push(`second, redelivered=${e.redelivered}`);
      }
    }
    const two = new Context(Two, { charmDir });
    await two.run(
      two.on.updateStatus(),
      state({ deferred: [deferred(two.on.configChanged(), 'onSecond')] }),
    );
    expect(seen).toEqual(['second, redelivered=true']);
  });

  it('lets the charm read a granted secret', async () => {
    const s = secret({ content: { password: 'x' } });
    const out = await ctx.run(ctx.on.secretChanged(s), state({ secrets: [s] }));
    expect(out.secrets[0]?.revisions).toEqual({ 1: { password: 'x' } });
  });
});
