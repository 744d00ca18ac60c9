import { describe, expect, it } from 'vitest';
import { Charm } from './charm.ts';
import { parseCharmcraft } from './charmcraft/parse.ts';
import { dispatch } from './dispatch.ts';
import {
  FrameworkError,
  HookToolError,
  JujuVersionError,
  RelationDataAccessError,
} from './errors.ts';
import type { Framework } from './framework.ts';
import { processHookTools } from './hook-tools/process.ts';
import { Status } from './status.ts';

const meta = parseCharmcraft(
  `name: demo
summary: s
description: d
base: ubuntu@22.04
platforms: {amd64: }
containers: {redis: {resource: img}}
resources: {img: {type: oci-image}}
requires: {db: {interface: pg}}
peers: {cluster: {interface: demo}}
config:
  options:
    port: {type: int, default: 8080}
    name: {type: string}
actions:
  pull-site:
    params: {url: {type: string}}
`,
  'charmcraft.yaml',
);

/** Fake Juju: answers hook tools from a small world and records every argv and stdin. */
function juju(
  world: {
    config?: Record<string, unknown>;
    leader?: boolean;
    state?: Record<string, string>;
    relationData?: Record<string, string>;
    params?: Record<string, unknown>;
  } = {},
) {
  const calls: string[][] = [];
  const stdins: (string | undefined)[] = [];
  const state = world.state ?? {};
  const tools = processHookTools(async (argv, stdin) => {
    calls.push([...argv]);
    stdins.push(stdin);
    const [cmd] = argv;
    switch (cmd) {
      case 'state-get': {
        const v = state[argv[2] as string];
        return v === undefined ? '' : JSON.stringify(v);
      }
      case 'state-set':
        Object.assign(state, JSON.parse(stdin ?? '{}'));
        return '';
      case 'config-get':
        return JSON.stringify(world.config ?? { port: 8080 });
      case 'is-leader':
        return JSON.stringify(world.leader ?? false);
      case 'relation-get':
        return JSON.stringify(world.relationData ?? {});
      case 'action-get':
        return JSON.stringify(world.params ?? {});
      default:
        return '';
    }
  });
  return { calls, stdins, state, tools };
}

const ENV = {
  JUJU_UNIT_NAME: 'demo/0',
  JUJU_MODEL_NAME: 'm',
  JUJU_MODEL_UUID: 'uuid-1',
  JUJU_VERSION: '3.6.4',
};
const hook = (name: string, extra: Record<string, string> = {}) => ({
  ...ENV,
  JUJU_DISPATCH_PATH: `hooks/${name}`,
  JUJU_HOOK_NAME: name,
  ...extra,
});
const relEnv = {
  JUJU_RELATION: 'db',
  JUJU_RELATION_ID: 'db:3',
  JUJU_REMOTE_APP: 'pg',
  JUJU_REMOTE_UNIT: 'pg/0',
};

class Quiet extends Charm {}

class ConfigCharm extends Charm {
  constructor(fw: Framework) {
    super(fw);
    this.on.configChanged(async () => {
      const config = await this.config();
      this.addStatus(Status.active(`port ${config.port}`));
    });
  }
}

describe('dispatch', () => {
  it('an ignored hook spawns one tool (state-get) and exits 0', async () => {
    const j = juju();
    const result = await dispatch({
      charm: Quiet,
      env: hook('update-status'),
      tools: j.tools,
      meta,
    });
    expect(result).toEqual({ exitCode: 0 });
    expect(j.calls).toEqual([['state-get', '--format=json', 'charm-ts']]);
  });

  it('config-changed: reads config once, sets the status, records it; the next run sets nothing', async () => {
    const j = juju();
    await dispatch({ charm: ConfigCharm, env: hook('config-changed'), tools: j.tools, meta });
    expect(j.calls.map((c) => c[0])).toEqual([
      'state-get',
      'config-get',
      'status-set',
      'state-set',
    ]);
    expect(j.calls[2]).toEqual(['status-set', 'active', '--', 'port 8080']);
    j.calls.length = 0;
    await dispatch({ charm: ConfigCharm, env: hook('config-changed'), tools: j.tools, meta });
    expect(j.calls.map((c) => c[0])).toEqual(['state-get', 'config-get']);
  });

  it('a wrong config value becomes a blocked status naming the key, exit 0', async () => {
    const j = juju({ config: { port: 'eighty' } });
    const result = await dispatch({
      charm: ConfigCharm,
      env: hook('config-changed'),
      tools: j.tools,
      meta,
    });
    expect(result.exitCode).toBe(0);
    expect(j.calls[2]?.slice(0, 2)).toEqual(['status-set', 'blocked']);
    expect(j.calls[2]?.[3]).toMatch(
      /^invalid config option 'port': expected an integer, got "eighty"/,
    );
  });

  it('refuses an app-data write by a non-leader before any relation-set, and commits nothing', async () => {
    class Writer extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.storedState({ seen: 0 });
        this.on.relationChanged('db', async (e) => {
          expect(e.unit).toBe('pg/0');
          expect(await e.relation.remoteAppData()).toEqual({ host: 'h' });
          await e.relation.setAppData({ ready: 'yes' });
        });
      }
    }
    const j = juju({ relationData: { host: 'h' } });
    const result = await dispatch({
      charm: Writer,
      env: hook('db-relation-changed', relEnv),
      tools: j.tools,
      meta,
    });
    expect(result.exitCode).toBe(1);
    expect(result.error).toBeInstanceOf(RelationDataAccessError);
    expect(j.calls.map((c) => c[0])).toEqual([
      'state-get',
      'relation-get',
      'is-leader',
      'juju-log',
    ]);
    expect(j.calls[1]).toEqual(['relation-get', '--format=json', '-r', 'db:3', '--app', '-', 'pg']);
    expect(j.calls[3]?.slice(0, 4)).toEqual(['juju-log', '--log-level', 'ERROR', '--']);
    expect(j.calls[3]?.[4]).toMatch(
      /RelationDataAccessError: cannot write this application's data on relation db:3/,
    );
  });

  it('a deferred event is re-emitted first on the next dispatch, to the observer that deferred it', async () => {
    const seen: string[] = [];
    class Deferring extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.relationChanged('db', (e) => {
          seen.push(`${e.name} ${e.unit} ${e.redelivered}`);
          if (!e.redelivered) e.defer();
        });
        this.on.updateStatus((e) => {
          seen.push(e.name);
        });
      }
    }
    const j = juju();
    await dispatch({
      charm: Deferring,
      env: hook('db-relation-changed', relEnv),
      tools: j.tools,
      meta,
    });
    expect(JSON.parse(j.state['charm-ts'] as string).deferred).toEqual([
      {
        hook: 'hooks/db-relation-changed',
        // An anonymous handler: named by a hash of its code.
        observer: expect.stringMatching(/^hooks\/db-relation-changed#~[0-9a-f]{8}$/),
        env: relEnv,
      },
    ]);
    await dispatch({ charm: Deferring, env: hook('update-status'), tools: j.tools, meta });
    expect(seen).toEqual([
      'db-relation-changed pg/0 false',
      'db-relation-changed pg/0 true',
      'update-status',
    ]);
    expect(JSON.parse(j.state['charm-ts'] as string).deferred).toEqual([]);
  });

  it('refuses defer() in an action', async () => {
    class A extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.action('pull-site', (e) => e.defer());
      }
    }
    const j = juju();
    const env = { ...ENV, JUJU_DISPATCH_PATH: 'actions/pull-site', JUJU_ACTION_UUID: '1' };
    const result = await dispatch({ charm: A, env, tools: j.tools, meta });
    expect(result.error).toBeInstanceOf(FrameworkError);
    expect(String(result.error)).toMatch(
      /cannot defer pull-site: Juju does not allow deferring actions/,
    );
  });

  it('runs an action with typed params, flattened results, log and fail; reconcile is not run', async () => {
    let reconciled = 0;
    class A extends Charm<{
      config: object;
      actions: { 'pull-site': { url: string } };
      endpoints: 'db';
      containers: 'redis';
      storages: never;
    }> {
      constructor(fw: Framework) {
        super(fw);
        this.on.action('pull-site', async (e) => {
          await e.log(`pulling ${e.params.url}`);
          await e.setResults({ site: { url: e.params.url, size: 3 } });
          await e.fail('nope');
        });
      }
      override reconcile() {
        reconciled++;
      }
    }
    const j = juju({ params: { url: 'https://x' } });
    const env = { ...ENV, JUJU_DISPATCH_PATH: 'actions/pull-site', JUJU_ACTION_UUID: '42' };
    const result = await dispatch({ charm: A, env, tools: j.tools, meta });
    expect(result).toEqual({ exitCode: 0 });
    expect(j.calls).toEqual([
      ['state-get', '--format=json', 'charm-ts'],
      ['action-get', '--format=json'],
      ['action-log', '--', 'pulling https://x'],
      ['action-set', 'site.url=https://x', 'site.size=3'],
      ['action-fail', '--', 'nope'],
    ]);
    expect(reconciled).toBe(0);
  });

  it('runs reconcile after the observers on every hook', async () => {
    const order: string[] = [];
    class R extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.start(() => {
          order.push('start');
        });
      }
      override async reconcile(e: { name: string }) {
        order.push(`reconcile ${e.name}`);
      }
    }
    const j = juju();
    await dispatch({ charm: R, env: hook('start'), tools: j.tools, meta });
    await dispatch({ charm: R, env: hook('update-status'), tools: j.tools, meta });
    expect(order).toEqual(['start', 'reconcile start', 'reconcile update-status']);
  });

  it('a failing handler exits 1, logs the stack and commits nothing', async () => {
    class Boom extends Charm {
      constructor(fw: Framework) {
        super(fw);
        const stored = this.storedState({ n: 0 });
        this.on.install(() => {
          stored.n++;
          throw new Error('kaboom');
        });
      }
    }
    const j = juju();
    const result = await dispatch({ charm: Boom, env: hook('install'), tools: j.tools, meta });
    expect(result.exitCode).toBe(1);
    expect(j.calls.map((c) => c[0])).toEqual(['state-get', 'juju-log']);
    expect(j.calls[1]?.[4]).toMatch(/Error: kaboom\n\s+at /);
    expect(j.state).toEqual({});
  });

  it('keeps stored state across dispatches', async () => {
    class Counter extends Charm {
      constructor(fw: Framework) {
        super(fw);
        const stored = this.storedState({ n: 0 });
        this.on.updateStatus(() => {
          stored.n++;
        });
      }
    }
    const j = juju();
    for (let i = 0; i < 3; i++)
      await dispatch({ charm: Counter, env: hook('update-status'), tools: j.tools, meta });
    expect(JSON.parse(j.state['charm-ts'] as string).stored).toEqual({ n: 3 });
  });

  it('names a missing variable', async () => {
    const j = juju();
    const result = await dispatch({
      charm: Quiet,
      env: { ...hook('install'), JUJU_MODEL_UUID: undefined },
      tools: j.tools,
      meta,
    });
    expect(String(result.error)).toMatch(/JUJU_MODEL_UUID is not set/);
    const rel = await dispatch({
      charm: ConfigCharm,
      env: hook('db-relation-changed', { JUJU_RELATION_ID: 'db:1' }),
      tools: j.tools,
      meta,
    });
    expect(rel.exitCode).toBe(0); // no observer: the payload is never built
    class Obs extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.relationChanged('db', () => {});
      }
    }
    class Joined extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.relationJoined('db', () => {});
      }
    }
    const missing = await dispatch({
      charm: Joined,
      env: hook('db-relation-joined', { JUJU_RELATION_ID: 'db:1', JUJU_REMOTE_UNIT: '' }),
      tools: j.tools,
      meta,
    });
    expect(String(missing.error)).toMatch(
      /JUJU_REMOTE_UNIT is not set \(a db-relation-joined hook needs it\)/,
    );
    // An app-bag change: Juju runs relation-changed with JUJU_REMOTE_UNIT empty.
    const appChange = await dispatch({
      charm: Obs,
      env: hook('db-relation-changed', {
        JUJU_RELATION_ID: 'db:1',
        JUJU_REMOTE_UNIT: '',
        JUJU_REMOTE_APP: 'pg',
      }),
      tools: j.tools,
      meta,
    });
    expect(appChange.error).toBeUndefined();
    expect(appChange.exitCode).toBe(0);
  });

  it('refuses an observer on an endpoint charmcraft.yaml does not declare', async () => {
    class Typo extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.relationChanged('dbx', () => {});
      }
    }
    const result = await dispatch({ charm: Typo, env: hook('install'), tools: juju().tools, meta });
    expect(String(result.error)).toMatch(
      /no endpoint 'dbx' in charmcraft.yaml \(declared: db, cluster\)/,
    );
  });

  it('refuses leader-get on Juju 4 with a clear error', async () => {
    class L extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.install(async () => {
          await (
            fw as unknown as { rt: { tools: { leaderGet(): Promise<unknown> } } }
          ).rt.tools.leaderGet();
        });
      }
    }
    const j = juju();
    const result = await dispatch({
      charm: L,
      env: { ...hook('install'), JUJU_VERSION: '4.0.0' },
      tools: j.tools,
      meta,
    });
    expect(result.error).toBeInstanceOf(JujuVersionError);
    expect(j.calls.map((c) => c[0])).not.toContain('leader-get');
  });

  it('collects the app status only on the leader, with one is-leader', async () => {
    class S extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.collectUnitStatus((e) => {
          e.addStatus(Status.waiting('w'));
          e.addStatus(Status.blocked('b'));
          e.addStatus(Status.blocked('b2'));
        });
        this.on.collectAppStatus((e) => e.addStatus(Status.active('app ok')));
        this.on.install(async () => {
          await this.unit.isLeader();
        });
      }
    }
    const j = juju({ leader: true });
    await dispatch({ charm: S, env: hook('install'), tools: j.tools, meta });
    expect(j.calls.filter((c) => c[0] !== 'state-get' && c[0] !== 'state-set')).toEqual([
      ['is-leader', '--format=json'],
      ['status-set', 'blocked', '--', 'b'],
      ['status-set', '--application', 'active', '--', 'app ok'],
    ]);
  });

  it('returns the tool failure when state-get fails', async () => {
    const tools = processHookTools(async (argv) => {
      throw new HookToolError(argv, 1, 'ERROR boom');
    });
    const result = await dispatch({ charm: Quiet, env: hook('install'), tools, meta });
    expect(result.exitCode).toBe(1);
    expect(String(result.error)).toMatch(/boom/);
  });
});
