/**
 * State-transition tests of the snappass charm: the original's six start-order cases (read
 * holistically), config, the secret key, containers that cannot connect, and idempotence.
 */
import type { ContainerState, OutputState, State } from '@charm-ts/testing';
import {
  Context,
  container,
  peerRelation,
  secret,
  state,
  status,
  UncaughtCharmError,
} from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { redisLayer, snappassLayer } from './layers.ts';
import { PEER_ENDPOINT, SECRET_CONTENT_KEY, SECRET_ID_KEY, SECRET_LABEL } from './secret-key.ts';
import { SnappassCharm } from './snappass-charm.ts';

const ctx = new Context(SnappassCharm);
const KEY = 'k3y-0f-the-t3st-that-must-n3ver-leak';
const DEFAULTS = { noSsl: false, urlPrefix: '', hostOverride: '' };
const PONG = { 'redis-cli': { stdout: 'PONG\n' } };
const REFUSED = {
  'redis-cli': { stdout: 'Could not connect to Redis at 127.0.0.1:6379: Connection refused\n' },
};

/** Counts process launches per service (the model is also asked once per seeded service). */
function launches() {
  const calls: string[] = [];
  return {
    model: (_command: string, service: string) => {
      calls.push(service);
      return undefined;
    },
    count: (service: string) => calls.filter((s) => s === service).length,
  };
}

function redis(
  spec: Partial<ContainerState> & { running?: boolean; ping?: 'pong' | 'refused' } = {},
) {
  const { running, ping = 'pong', ...rest } = spec;
  return container({
    name: 'redis',
    execs: ping === 'pong' ? PONG : REFUSED,
    ...(running ? { layers: { redis: redisLayer() }, serviceStatuses: { redis: 'active' } } : {}),
    ...rest,
  });
}

function snappass(spec: Partial<ContainerState> & { running?: boolean } = {}) {
  const { running, ...rest } = spec;
  return container({
    name: 'snappass',
    ...(running
      ? {
          layers: { snappass: snappassLayer(DEFAULTS, KEY) },
          serviceStatuses: { snappass: 'active' },
        }
      : {}),
    ...rest,
  });
}

/** A unit whose leader already made the key (the usual state once deployed). */
function withKey(spec: Partial<State>, leader = true): State {
  const s = secret({ owner: 'app', label: SECRET_LABEL, content: { [SECRET_CONTENT_KEY]: KEY } });
  const peers = peerRelation({ endpoint: PEER_ENDPOINT, localAppData: { [SECRET_ID_KEY]: s.id } });
  return state({ leader, secrets: [s], relations: [peers], ...spec });
}

const byName = (out: OutputState, name: string) => out.containers.find((c) => c.name === name);

describe('start order (the six cases of the original test_scenario.py)', () => {
  it('snappass-ready, redis not answering: waits for redis, snappass untouched', async () => {
    const input = withKey({ containers: [redis({ ping: 'refused' }), snappass()] });
    const out = await ctx.run(ctx.on.pebbleReady(snappass()), input);
    expect(out.unitStatus).toEqual(status.waiting('waiting for redis'));
    expect(byName(out, 'redis')?.serviceStatuses).toEqual({ redis: 'active' });
    expect(byName(out, 'snappass')?.layers).toEqual({});
  });

  it('snappass-ready, redis running: "snappass started", snappass layer added and active', async () => {
    const count = launches();
    const input = withKey({
      containers: [redis({ running: true, processes: count.model }), snappass()],
    });
    const out = await ctx.run(ctx.on.pebbleReady(snappass()), input);
    expect(out.unitStatus).toEqual(status.active('snappass started'));
    expect(byName(out, 'snappass')?.layers).toEqual({ snappass: snappassLayer(DEFAULTS, KEY) });
    expect(byName(out, 'snappass')?.serviceStatuses).toEqual({ snappass: 'active' });
    expect(count.count('redis')).toBe(1); // seeded, never relaunched
  });

  it('snappass-ready, both running: nothing restarted, active', async () => {
    const count = launches();
    const input = withKey({
      containers: [
        redis({ running: true, processes: count.model }),
        snappass({ running: true, processes: count.model }),
      ],
    });
    const out = await ctx.run(ctx.on.pebbleReady(snappass()), input);
    expect(out.unitStatus).toEqual(status.active());
    expect([count.count('redis'), count.count('snappass')]).toEqual([1, 1]);
    expect(out.containers.map((c) => c.serviceStatuses)).toEqual([
      { redis: 'active' },
      { snappass: 'active' },
    ]);
  });

  // The original returned early here and never started snappass (its upstream bug): a
  // holistic reconcile starts whatever is missing.
  it('redis-ready, redis running: starts the missing snappass', async () => {
    const input = withKey({ containers: [redis({ running: true }), snappass()] });
    const out = await ctx.run(ctx.on.pebbleReady(redis()), input);
    expect(out.unitStatus).toEqual(status.active('snappass started'));
    expect(byName(out, 'snappass')?.serviceStatuses).toEqual({ snappass: 'active' });
  });

  it('redis-ready, snappass running: "redis started", redis layer added, snappass kept', async () => {
    const count = launches();
    const input = withKey({
      containers: [redis(), snappass({ running: true, processes: count.model })],
    });
    const out = await ctx.run(ctx.on.pebbleReady(redis()), input);
    expect(out.unitStatus).toEqual(status.active('redis started'));
    expect(byName(out, 'redis')?.layers).toEqual({ redis: redisLayer() });
    expect(byName(out, 'redis')?.serviceStatuses).toEqual({ redis: 'active' });
    expect(count.count('snappass')).toBe(1);
  });

  it('redis-ready, neither running: both layers added and active, "snappass started"', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(redis()),
      withKey({ containers: [redis(), snappass()] }),
    );
    expect(out.unitStatus).toEqual(status.active('snappass started'));
    expect(out.containers.map((c) => c.serviceStatuses)).toEqual([
      { redis: 'active' },
      { snappass: 'active' },
    ]);
    expect(byName(out, 'redis')?.plan.checks['redis-ready']).toMatchObject({
      level: 'ready',
      exec: { command: 'redis-cli -h 127.0.0.1 -p 6379 ping' },
    });
    expect(byName(out, 'snappass')?.plan.checks['snappass-ready']).toMatchObject({
      level: 'ready',
      http: { url: 'http://127.0.0.1:5000/' },
    });
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 5000 }]);
  });
});

describe('containers that cannot connect', () => {
  it('redis Pebble down: waiting for it, nothing added anywhere', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      withKey({ containers: [redis({ canConnect: false }), snappass()] }),
    );
    expect(out.unitStatus).toEqual(status.waiting('waiting for Pebble in the redis container'));
    expect(out.containers.map((c) => c.layers)).toEqual([{}, {}]);
  });

  it('snappass Pebble down: redis started, waiting for the snappass container', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(redis()),
      withKey({ containers: [redis(), snappass({ canConnect: false })] }),
    );
    expect(out.unitStatus).toEqual(status.waiting('waiting for Pebble in the snappass container'));
    expect(byName(out, 'redis')?.serviceStatuses).toEqual({ redis: 'active' });
  });

  it('a container missing from the state altogether counts as not reachable', async () => {
    const out = await ctx.run(ctx.on.updateStatus(), withKey({ containers: [redis()] }));
    expect(out.unitStatus).toEqual(status.waiting('waiting for Pebble in the snappass container'));
  });
});

describe('workloads that exit at start', () => {
  const exits = () => ({ exitCode: 1 });

  it('redis exits at once: waiting while Pebble restarts it, snappass not started', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(redis()),
      withKey({ containers: [redis({ processes: exits }), snappass()] }),
    );
    expect(out.unitStatus).toEqual(
      status.waiting('waiting for redis: it exited at start, Pebble restarts it'),
    );
    expect(byName(out, 'snappass')?.layers).toEqual({});
  });

  it('snappass exits at once: waiting, and the hook does not fail', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(snappass()),
      withKey({ containers: [redis(), snappass({ processes: exits })] }),
    );
    expect(out.unitStatus).toEqual(
      status.waiting('waiting for snappass: it exited at start, Pebble restarts it'),
    );
    expect(JSON.stringify(ctx.jujuLog)).not.toContain(KEY);
  });
});

describe('idempotence', () => {
  it('a second reconcile with nothing changed restarts nothing and adds no layer', async () => {
    const count = launches();
    const input = withKey({
      containers: [redis({ processes: count.model }), snappass({ processes: count.model })],
    });
    const first = await ctx.run(ctx.on.configChanged(), input);
    expect([count.count('redis'), count.count('snappass')]).toEqual([1, 1]);
    const second = await ctx.run(ctx.on.updateStatus(), first);
    // Each run rebuilds the Pebble from the state: one seed call per service, no launch.
    expect([count.count('redis'), count.count('snappass')]).toEqual([2, 2]);
    expect(second.containers.map((c) => c.plan)).toEqual(first.containers.map((c) => c.plan));
    expect(second.unitStatus).toEqual(status.active());
  });
});

describe('config', () => {
  it('a config change restarts snappass with the new environment, not redis', async () => {
    const count = launches();
    const input = withKey({
      config: { 'no-ssl': true, 'url-prefix': '/share/', 'host-override': 'pw.example:8443' },
      containers: [
        redis({ running: true, processes: count.model }),
        snappass({ running: true, processes: count.model }),
      ],
    });
    const out = await ctx.run(ctx.on.configChanged(), input);
    expect(byName(out, 'snappass')?.plan.services.snappass?.environment).toEqual({
      SECRET_KEY: KEY,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: '6379',
      NO_SSL: 'True',
      URL_PREFIX: 'share',
      HOST_OVERRIDE: 'pw.example:8443',
    });
    expect(out.unitStatus).toEqual(status.active('snappass started'));
    expect([count.count('redis'), count.count('snappass')]).toEqual([1, 2]);
  });

  it('bad config blocks naming the key; redis still runs, snappass is left as it was', async () => {
    const count = launches();
    const input = withKey({
      config: { 'url-prefix': '/a b' },
      containers: [redis(), snappass({ running: true, processes: count.model })],
    });
    const out = await ctx.run(ctx.on.configChanged(), input);
    expect(out.unitStatus.status).toBe('blocked');
    expect(out.unitStatus.message).toContain('url-prefix "/a b" is not a URL path');
    expect(byName(out, 'redis')?.serviceStatuses).toEqual({ redis: 'active' });
    expect(byName(out, 'snappass')?.layers).toEqual({ snappass: snappassLayer(DEFAULTS, KEY) });
    expect(count.count('snappass')).toBe(1);
    // Fixing it brings the unit back to active.
    const fixed = await ctx.run(ctx.on.configChanged(), { ...out, config: {} });
    expect(fixed.unitStatus).toEqual(status.active());
  });

  it('blocked wins over waiting: bad config while redis Pebble is down', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      withKey({
        config: { 'host-override': 'https://x' },
        containers: [redis({ canConnect: false }), snappass()],
      }),
    );
    expect(out.unitStatus).toMatchObject({ status: 'blocked' });
    expect(out.unitStatus.message).toContain('host-override');
  });
});

describe('the secret key', () => {
  const peers = () => peerRelation({ endpoint: PEER_ENDPOINT });

  it('the leader generates it once, as an app secret shared through the peer relation', async () => {
    const first = await ctx.run(
      ctx.on.leaderElected(),
      state({ leader: true, relations: [peers()], containers: [redis(), snappass()] }),
    );
    expect(first.secrets).toHaveLength(1);
    const made = first.secrets[0];
    expect(made).toMatchObject({ owner: 'app', label: SECRET_LABEL });
    const key = made?.revisions[1]?.[SECRET_CONTENT_KEY] ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.relations[0]?.localAppData).toEqual({ [SECRET_ID_KEY]: made?.id });
    expect(byName(first, 'snappass')?.plan.services.snappass?.environment?.SECRET_KEY).toBe(key);
    expect(ctx.hookToolCalls.filter((c) => c.tool === 'secret-add')).toHaveLength(1);

    const second = await ctx.run(ctx.on.configChanged(), first);
    expect(ctx.hookToolCalls.filter((c) => c.tool === 'secret-add')).toHaveLength(0);
    expect(second.secrets).toEqual(first.secrets);
  });

  it('a non-leader reads the key the leader shared', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      withKey({ containers: [redis(), snappass()] }, false),
    );
    expect(byName(out, 'snappass')?.plan.services.snappass?.environment?.SECRET_KEY).toBe(KEY);
    expect(ctx.hookToolCalls.filter((c) => c.tool === 'secret-add')).toHaveLength(0);
  });

  it('a non-leader waits for the leader, with redis started meanwhile', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      state({ leader: false, relations: [peers()], containers: [redis(), snappass()] }),
    );
    expect(out.unitStatus).toEqual(
      status.waiting('waiting for the leader to generate the secret key'),
    );
    expect(byName(out, 'snappass')?.layers).toEqual({});
    expect(byName(out, 'redis')?.serviceStatuses).toEqual({ redis: 'active' });
  });

  it('without the peer relation yet: waiting', async () => {
    const out = await ctx.run(
      ctx.on.install(),
      state({ leader: true, containers: [redis(), snappass()] }),
    );
    expect(out.unitStatus).toEqual(status.waiting('waiting for the peer relation'));
    expect(out.secrets).toEqual([]);
  });

  it('a secret without the key fails the hook with a message that says how to recover', async () => {
    const s = secret({ owner: 'app', label: SECRET_LABEL, content: { other: 'x' } });
    const peers = peerRelation({
      endpoint: PEER_ENDPOINT,
      localAppData: { [SECRET_ID_KEY]: s.id },
    });
    const run = ctx.run(
      ctx.on.configChanged(),
      state({ secrets: [s], relations: [peers], containers: [redis(), snappass()] }),
    );
    await expect(run).rejects.toThrow(UncaughtCharmError);
    await expect(run).rejects.toMatchObject({
      cause: { code: 'SNAPPASS_SECRET_KEY', message: expect.stringContaining(SECRET_ID_KEY) },
    });
  });

  it('never appears in logs, hook-tool arguments, statuses, config or a command line', async () => {
    const out = await ctx.run(
      ctx.on.leaderElected(),
      state({ leader: true, relations: [peers()], containers: [redis(), snappass()] }),
    );
    const key = out.secrets[0]?.revisions[1]?.[SECRET_CONTENT_KEY] as string;
    expect(key.length).toBeGreaterThan(20);
    expect(JSON.stringify(ctx.jujuLog)).not.toContain(key);
    expect(JSON.stringify(ctx.hookToolCalls)).not.toContain(key);
    expect(JSON.stringify(ctx.unitStatusHistory)).not.toContain(key);
    expect(JSON.stringify(out.config)).not.toContain(key);
    expect(JSON.stringify(out.relations)).not.toContain(key);
    expect(JSON.stringify(ctx.execHistory)).not.toContain(key);
    for (const c of out.containers) {
      for (const service of Object.values(c.plan.services)) {
        expect(service.command).not.toContain(key);
      }
    }
  });
});
