/**
 * A model with two apps and a relation, and a unit's hook context over it, for hook-tool unit
 * tests.
 * @module
 */
import { beginHook, HookContext, type RunningAction } from '@charm-ts/juju-model';
import type { CharmInfo } from '../src/charm.ts';
import {
  type AppState,
  type ModelState,
  type QueuedHook,
  status,
  type UnitState,
} from '../src/model.ts';
import { newModel } from '../src/store.ts';
import { simHookHost } from '../src/tools/host.ts';
import { runTool } from '../src/tools/index.ts';

const CHARM: CharmInfo = {
  name: 'demo',
  endpoints: {
    provides: { db: { interface: 'pg' } },
    requires: { backend: { interface: 'pg' } },
    peers: { peers: { interface: 'demo-peers' } },
  },
  containers: {},
  storage: { data: { type: 'filesystem', location: '/srv' } },
  resources: {},
  config: { port: { type: 'int', default: 80 }, name: { type: 'string' } },
  actions: {},
};

function app(name: string, units: string[]): AppState {
  return {
    name,
    charmFile: '/x.charm',
    charmRevision: 1,
    charm: structuredClone(CHARM),
    config: {},
    resources: {},
    units,
    nextUnit: units.length,
    leader: units[0] as string,
    version: '',
    leaderSettings: {},
  };
}

function unit(name: string, index: number): UnitState {
  return {
    name,
    app: name.split('/')[0] as string,
    workloadStatus: status('waiting', 'installing agent'),
    agentStatus: status('idle'),
    queue: [],
    state: {},
    ports: [],
    address: `10.1.1.${index + 2}`,
    netns: 'ns',
    podIndex: index,
    containers: {},
    installed: true,
    started: true,
  };
}

/** A model: apps `a` (a/0 leader, a/1) and `b` (b/0), related a:db ↔ b:backend as id 3. */
export function fakeModel(): ModelState {
  const model = newModel('/tmp/fake');
  model.apps.a = app('a', ['a/0', 'a/1']);
  model.apps.b = app('b', ['b/0']);
  for (const [i, name] of ['a/0', 'a/1', 'b/0'].entries()) model.units[name] = unit(name, i);
  model.relations['3'] = {
    id: 3,
    interface: 'pg',
    endpoints: [
      { app: 'a', endpoint: 'db' },
      { app: 'b', endpoint: 'backend' },
    ],
    appData: { a: { url: 'x' }, b: { want: 'db' } },
    unitData: { 'a/0': { host: 'h0' }, 'a/1': {}, 'b/0': { ip: '10.0.0.1' } },
    members: { 'a/0': ['b/0'], 'a/1': ['b/0'], 'b/0': ['a/0', 'a/1'] },
    created: ['a/0', 'a/1', 'b/0'],
  };
  model.relations['0'] = {
    id: 0,
    interface: 'demo-peers',
    endpoints: [{ app: 'a', endpoint: 'peers' }],
    appData: { a: { shared: 'yes' } },
    unitData: { 'a/0': {}, 'a/1': {} },
    members: { 'a/0': ['a/1'], 'a/1': ['a/0'] },
    created: ['a/0', 'a/1'],
  };
  return model;
}

/** A context for `unitName` running `hook` (or an action), recording logs and saves. */
export function fakeContext(
  model: ModelState,
  unitName: string,
  hook?: QueuedHook,
  action?: RunningAction,
  hostAgentDir = '/nonexistent',
) {
  const u = model.units[unitName] as UnitState;
  const logs: string[] = [];
  const ctx = new HookContext({
    model,
    unit: unitName,
    hook,
    action,
    draft: beginHook(model, u),
    host: simHookHost({
      model,
      unit: u,
      app: model.apps[u.app] as AppState,
      log: (level, message) => logs.push(`${level} ${message}`),
      save: () => {},
      leaderSettingsChanged: () => logs.push('leader-settings-changed'),
      agentDir: '/var/lib/juju/agents/unit-x',
      hostAgentDir,
    }),
  });
  const run = (tool: string, args: string[], stdin?: string) => runTool(ctx, tool, args, stdin);
  return { ctx, logs, run };
}
