/**
 * Every kind of event through the real dispatcher: relation events with a remote unit and a
 * broken relation, pebble custom notices and checks, secrets, storage.
 */
import { Charm, type Framework, parseCharmcraft, Status } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { container, peerRelation, relation, secret, state, storage } from '../state/builders.ts';
import { Context } from './context.ts';

const meta = parseCharmcraft(
  `name: recorder
summary: s
description: d
base: ubuntu@22.04
platforms: {amd64: }
containers: {app: {resource: img}}
resources: {img: {type: oci-image}}
requires: {db: {interface: pg}}
peers: {cluster: {interface: c}}
storage: {data: {type: filesystem, location: /data}}
`,
  'charmcraft.yaml',
);

/** Records what each event showed it in stored state. */
class Recorder extends Charm {
  constructor(framework: Framework) {
    super(framework);
    const seen = (what: unknown) => {
      const stored = this.storedState({ seen: [] as unknown[] });
      stored.seen.push(what);
    };
    this.on.relationJoined('db', async (e) =>
      seen({
        unit: e.unit,
        app: e.app,
        units: await e.relation.units(),
        data: await e.relation.remoteUnitData(e.unit ?? ''),
      }),
    );
    this.on.relationDeparted('cluster', async (e) =>
      seen({ departing: e.departingUnit, units: await e.relation.units() }),
    );
    this.on.relationBroken('db', async () =>
      seen({ live: (await this.model.relations('db')).length }),
    );
    this.on.pebbleCustomNotice('app', async (e) => {
      const notices = await (await e.container.pebble()).listNotices({ types: ['custom'] });
      seen({ notice: e.notice?.key, recorded: notices.map((n) => n.key) });
    });
    this.on.pebbleCheckFailed('app', async (e) => {
      const [check] = await (await e.container.pebble()).listChecks({ names: [e.checkName ?? ''] });
      seen({ check: e.checkName, status: check?.status });
    });
    this.on.secretChanged(async (e) => seen({ secret: await e.secret.get({ refresh: true }) }));
    this.on.secretRemove(async (e) => {
      await e.secret.remove(e.revision);
      seen({ removed: e.revision });
    });
    this.on.storageAttached('data', async (e) =>
      seen({ storage: e.storage.id, location: e.storage.location }),
    );
    this.on.collectUnitStatus((e) => e.addStatus(Status.active('recorded')));
  }
}

const ctx = new Context(Recorder, { meta });

describe('events', () => {
  it('relation-joined names the remote unit, whose data the charm reads', async () => {
    const db = relation({
      endpoint: 'db',
      remoteApp: 'pg',
      remoteUnitsData: { 0: {}, 3: { host: 'h3' } },
    });
    const out = await ctx.run(
      ctx.on.relationJoined(db, { remoteUnit: 3 }),
      state({ relations: [db] }),
    );
    expect(out.storedState.seen).toEqual([
      { unit: 'pg/3', app: 'pg', units: ['pg/0', 'pg/3'], data: { host: 'h3' } },
    ]);
    expect(out.unitStatus).toEqual({ status: 'active', message: 'recorded' });
  });

  it('relation-departed hides the departing unit; relation-broken drops the relation', async () => {
    const cluster = peerRelation({ endpoint: 'cluster', peersData: { 1: {}, 2: {} } });
    const departed = await ctx.run(
      ctx.on.relationDeparted(cluster, { remoteUnit: 1 }),
      state({ relations: [cluster] }),
    );
    expect(departed.storedState.seen).toEqual([{ departing: 'recorder/1', units: ['recorder/2'] }]);
    const db = relation({ endpoint: 'db' });
    const broken = await ctx.run(ctx.on.relationBroken(db), state({ relations: [db] }));
    expect(broken.storedState.seen).toEqual([{ live: 0 }]);
  });

  it('pebble-custom-notice records the notice in the container first', async () => {
    const app = container({ name: 'app' });
    const out = await ctx.run(
      ctx.on.pebbleCustomNotice(app, { key: 'example.com/reload' }),
      state({ containers: [app] }),
    );
    expect(out.storedState.seen).toEqual([
      { notice: 'example.com/reload', recorded: ['example.com/reload'] },
    ]);
    expect(out.containers[0]?.notices).toEqual([{ key: 'example.com/reload', data: {} }]);
  });

  it('pebble-check-failed brings the check down first', async () => {
    const app = container({
      name: 'app',
      layers: {
        base: { checks: { alive: { override: 'replace', http: { url: 'http://localhost/' } } } },
      },
    });
    const out = await ctx.run(ctx.on.pebbleCheckFailed(app, 'alive'), state({ containers: [app] }));
    expect(out.storedState.seen).toEqual([{ check: 'alive', status: 'down' }]);
    expect(out.containers[0]?.checks).toEqual({ alive: { status: 'down' } });
  });

  it('secret-changed reads the new revision; secret-remove removes the old one', async () => {
    const s = secret({ revisions: { 1: { v: '1' }, 2: { v: '2' } }, trackedRevision: 1 });
    const changed = await ctx.run(ctx.on.secretChanged(s), state({ secrets: [s] }));
    expect(changed.storedState.seen).toEqual([{ secret: { v: '2' } }]);
    expect(changed.secrets[0]?.trackedRevision).toBe(2);
    const own = secret({ owner: 'unit', revisions: { 1: { v: '1' }, 2: { v: '2' } } });
    const removed = await ctx.run(ctx.on.secretRemove(own, 1), state({ secrets: [own] }));
    expect(removed.secrets[0]?.revisions).toEqual({ 2: { v: '2' } });
    expect(ctx.removedSecretRevisions).toEqual([{ id: own.id, revision: 1 }]);
  });

  it('storage-attached names the instance and its location', async () => {
    const data = storage({ name: 'data', location: '/data' });
    const out = await ctx.run(ctx.on.storageAttached(data), state({ storages: [data] }));
    expect(out.storedState.seen).toEqual([{ storage: 'data/0', location: '/data' }]);
  });
});
