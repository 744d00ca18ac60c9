/** Juju's rules and error texts in the in-memory hook tools. */
import { HookToolError } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../context/world-build.ts';
import { peerRelation, relation, secret, state } from '../state/builders.ts';
import type { State } from '../state/types.ts';
import { MemoryHookTools } from './memory-hook-tools.ts';
import type { World } from './world.ts';

const meta = {
  name: 'app',
  config: {},
  actions: {},
  endpoints: {
    requires: { db: { interface: 'pg' } },
    provides: {},
    peers: { cluster: { interface: 'c' } },
  },
  containers: {},
  storage: { data: { type: 'filesystem' } },
};

function world(s: State): World {
  return buildWorld({
    meta,
    state: s,
    event: { path: 'hooks/start', env: {} },
    unitName: 'app/0',
    appName: 'app',
    trusted: false,
    action: undefined,
  });
}

async function stderrOf(promise: Promise<unknown>): Promise<[number, string]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HookToolError);
  return [(error as HookToolError).exitCode, (error as HookToolError).stderr];
}

describe('MemoryHookTools', () => {
  const db = relation({ endpoint: 'db', remoteApp: 'pg', remoteAppData: { host: 'h' } });
  const ref = { endpoint: 'db', id: db.id };

  it('refuses app data writes and own-app reads from a non-leader, with Juju texts', async () => {
    const tools = new MemoryHookTools(world(state({ relations: [db] })));
    expect(await stderrOf(tools.relationSet(ref, { a: 'b' }, true))).toEqual([
      1,
      'ERROR cannot write relation settings',
    ]);
    expect(await stderrOf(tools.relationGet(ref, 'app', true))).toEqual([
      1,
      'ERROR permission denied',
    ]);
    expect(await tools.relationGet(ref, 'pg', true)).toEqual({ host: 'h' });
    await tools.relationSet(ref, { a: 'b' }, false);
    await tools.relationSet(ref, { a: '' }, false);
    expect(await tools.relationGet(ref, 'app/0', false)).toEqual({});
  });

  it('lets peers read the app bag, and the leader write it', async () => {
    const cluster = peerRelation({
      endpoint: 'cluster',
      localAppData: { k: 'v' },
      peersData: { 1: {} },
    });
    const peerRef = { endpoint: 'cluster', id: cluster.id };
    const follower = new MemoryHookTools(world(state({ relations: [cluster] })));
    expect(await follower.relationGet(peerRef, 'app', true)).toEqual({ k: 'v' });
    expect(await follower.relationList(peerRef)).toEqual(['app/1']);
    const leader = new MemoryHookTools(world(state({ leader: true, relations: [cluster] })));
    await leader.relationSet(peerRef, { k: 'w' }, true);
    expect(await leader.relationGet(peerRef, 'app', true)).toEqual({ k: 'w' });
  });

  it('answers relation not found for an unknown relation (exit 2)', async () => {
    const tools = new MemoryHookTools(world(state()));
    expect(await stderrOf(tools.relationGet({ endpoint: 'db', id: 99 }, 'x/0', false))).toEqual([
      2,
      'ERROR invalid value "db:99" for option -r: relation not found',
    ]);
  });

  it('validates statuses and guards the application status', async () => {
    const tools = new MemoryHookTools(world(state()));
    expect(await stderrOf(tools.statusSet('error' as 'active', '', false))).toEqual([
      2,
      'ERROR invalid status "error", expected one of [maintenance blocked waiting active]',
    ]);
    expect(await stderrOf(tools.statusSet('active', '', true))).toEqual([
      1,
      'ERROR setting application status: this unit is not the leader',
    ]);
    expect(await stderrOf(tools.appStatusGet())).toEqual([
      1,
      'ERROR finding application status: this unit is not the leader',
    ]);
    expect(await stderrOf(tools.actionGet())).toEqual([1, 'ERROR not running an action']);
  });

  it('tracks secret revisions: get pins, peek reads latest, refresh moves on', async () => {
    const s = secret({ revisions: { 1: { v: '1' }, 2: { v: '2' } }, trackedRevision: 1 });
    const tools = new MemoryHookTools(world(state({ secrets: [s] })));
    expect(await tools.secretGet({ id: s.id })).toEqual({ v: '1' });
    expect(await tools.secretGet({ id: s.id, peek: true })).toEqual({ v: '2' });
    expect(await tools.secretGet({ id: s.id })).toEqual({ v: '1' });
    expect(await tools.secretGet({ id: s.id, refresh: true })).toEqual({ v: '2' });
    expect(await stderrOf(tools.secretInfoGet({ id: s.id }))).toEqual([
      1,
      `ERROR secret "${s.id.slice('secret:'.length)}" not found`,
    ]);
    expect(await stderrOf(tools.secretGet({ id: 'secret:nope' }))).toEqual([
      1,
      'ERROR secret "nope" not found',
    ]);
    expect(await stderrOf(tools.secretAdd({ key: 'b' }))).toEqual([
      1,
      'ERROR this unit is not the leader',
    ]);
    const id = await tools.secretAdd({ key: 'b' }, { owner: 'unit', label: 'mine' });
    await tools.secretSet(id, { content: { key: 'c' } });
    expect(await tools.secretInfoGet({ label: 'mine' })).toMatchObject({
      id,
      revision: 2,
      label: 'mine',
    });
  });

  it('applies opened ports at commit: opened-ports lists only those already open', async () => {
    const w = world(state());
    const tools = new MemoryHookTools(w);
    await tools.openPort({ protocol: 'tcp', port: 80 });
    expect(await tools.openedPorts()).toEqual([]);
    expect(w.context.draft.ports).toEqual(['80/tcp']);
    expect(w.calls.map((c) => c.tool)).toEqual(['open-port', 'opened-ports']);
  });
});
