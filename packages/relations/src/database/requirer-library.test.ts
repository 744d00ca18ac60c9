// DatabaseRequirer and DatabaseProvider, libraries with events of their own, used by charms
// through their events and state, run through the real dispatcher with the in-memory hook
// tools. The bags are the wire functions', proven against data_interfaces in library.test.ts;
// end to end, charms/gunicorn/e2e (the requirer against DatabaseProvides on a real PostgreSQL).
import { Context, relation, secret, state } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { CHARM_DIR, DatabaseCharm, DatabaseProviderCharm } from '../../test/charm/charms.ts';
import { DATABASE_REQUESTED_SECRETS } from './schema.ts';

const ctx = new Context(DatabaseCharm, { charmDir: CHARM_DIR });
const NS = 'database-requirer[database]';
const REQUESTED = JSON.stringify(DATABASE_REQUESTED_SECRETS).replaceAll('","', '", "');
const PASSWORD = 'pw-N3VER-SH0WN';

const pg = (remoteAppData: Record<string, string> = {}) =>
  relation({ endpoint: 'database', remoteApp: 'postgresql', remoteAppData, id: 3 });
const userSecret = () =>
  secret({
    revisions: { 1: { username: 'relation_id_3', password: PASSWORD } },
    grants: { 3: ['relations-demo'] },
  });
const events = (out: { storedState: Record<string, unknown> }) => out.storedState.events;

describe('DatabaseRequirer', () => {
  it('asks for the database on relation-created, as DatabaseRequires does (leader only)', async () => {
    const out = await ctx.run(
      ctx.on.relationCreated(pg()),
      state({ leader: true, relations: [pg()] }),
    );
    expect(out.relations[0]?.localAppData).toEqual({
      'requested-secrets': REQUESTED,
      'provided-secrets': '["mtls-cert"]',
      database: 'demo',
    });
    expect(out.relations[0]?.localUnitData).toEqual({
      'requested-secrets': REQUESTED,
      'provided-secrets': '["mtls-cert"]',
    });
    const follower = await ctx.run(ctx.on.relationCreated(pg()), state({ relations: [pg()] }));
    expect(follower.relations[0]?.localUnitData).toEqual({});
  });

  it('emits databaseCreated once the credentials are shared, then the endpoint events', async () => {
    const s = userSecret();
    const step = (bag: Record<string, string>, prior?: ReturnType<typeof state>) =>
      ctx.run(
        ctx.on.relationChanged(pg(bag)),
        prior ? { ...prior, relations: [pg(bag)] } : state({ relations: [pg(bag)], secrets: [s] }),
      );
    // Endpoints before the credentials: endpoints_changed, as data_interfaces emits it (there
    // is no answer to fetch yet).
    let out = await step({ endpoints: '10.0.0.5:5432' });
    expect(events(out)).toEqual(['endpointsChanged 3 - - 0']);
    out = await step({ endpoints: '10.0.0.5:5432', 'secret-user': s.id, version: '15.4' }, out);
    expect(events(out)).toEqual([
      'endpointsChanged 3 - - 0',
      `databaseCreated 3 relation_id_3 10.0.0.5:5432 ${PASSWORD.length}`,
    ]);
    // Unchanged: nothing. A new primary: endpointsChanged. Replicas: readOnlyEndpointsChanged.
    out = await step({ endpoints: '10.0.0.5:5432', 'secret-user': s.id, version: '15.4' }, out);
    expect(events(out)).toHaveLength(2);
    out = await step({ endpoints: '10.0.0.6:5432', 'secret-user': s.id, version: '15.4' }, out);
    out = await step(
      {
        endpoints: '10.0.0.6:5432',
        'read-only-endpoints': '10.0.0.7:5432',
        'secret-user': s.id,
        version: '15.4',
      },
      out,
    );
    expect((events(out) as string[]).slice(2)).toEqual([
      'endpointsChanged 3 relation_id_3 10.0.0.6:5432 14',
      'readOnlyEndpointsChanged 3 relation_id_3 10.0.0.6:5432 14',
    ]);
    // What it keeps holds no credential: the keys and the endpoints.
    expect(out.storedState[NS]).toEqual({
      seen: {
        3: {
          keys: ['endpoints', 'read-only-endpoints', 'secret-user', 'version'],
          endpoints: '10.0.0.6:5432',
          readOnlyEndpoints: '10.0.0.7:5432',
        },
      },
    });
    expect(JSON.stringify([out.storedState, out.relations, ctx.jujuLog])).not.toContain(PASSWORD);
  });

  it('reads credentials given in clear, by a provider without secrets', async () => {
    const bag = { endpoints: 'db:6432', username: 'u', password: 'p', database: 'demo' };
    const out = await ctx.run(ctx.on.relationChanged(pg(bag)), state({ relations: [pg(bag)] }));
    expect(events(out)).toEqual(['databaseCreated 3 u db:6432 1']);
  });

  it('forgets a broken relation: a new one is created afresh', async () => {
    const bag = { endpoints: 'db:6432', username: 'u', password: 'p' };
    const created = await ctx.run(ctx.on.relationChanged(pg(bag)), state({ relations: [pg(bag)] }));
    const broken = await ctx.run(ctx.on.relationBroken(pg(bag)), created);
    expect(broken.storedState[NS]).toEqual({ seen: {} });
  });

  it('an answer it cannot read is ops’ RelationDataError naming the relation, bag and key', async () => {
    const bag = { endpoints: '10.0.0.5:postgres', username: 'u', password: 'p' };
    await expect(
      ctx.run(ctx.on.relationChanged(pg(bag)), state({ relations: [pg(bag)] })),
    ).rejects.toThrow(
      `relation database:3 remote-app bag (postgresql): key 'endpoints': has a port that is not 1 to 65535 in "10.0.0.5:postgres"`,
    );
  });
});

describe('DatabaseProvider', () => {
  const provider = new Context(DatabaseProviderCharm, { charmDir: CHARM_DIR });
  const requirer = (remoteAppData: Record<string, string>) =>
    relation({ endpoint: 'db', remoteApp: 'gunicorn', remoteAppData, id: 9 });

  it('emits databaseRequested and answers through a secret granted to the relation', async () => {
    const asked = requirer({
      database: 'gunicorn',
      'requested-secrets': REQUESTED,
      'provided-secrets': '["mtls-cert"]',
    });
    const out = await provider.run(
      provider.on.relationChanged(asked),
      state({ leader: true, relations: [asked] }),
    );
    expect(provider.jujuLog.map((l) => l.message)).toContain('database gunicorn requested on 9');
    const [created] = out.secrets;
    expect(created?.label).toBe('db.9.user.secret');
    expect(created?.revisions).toEqual({ 1: { username: 'relation_id_9', password: 'pw-secret' } });
    expect(created?.grants).toEqual({ 9: ['gunicorn'] });
    expect(out.relations[0]?.localAppData).toEqual({
      database: 'gunicorn',
      endpoints: '10.0.0.9:5432',
      version: '15.4',
      'secret-user': created?.id,
    });
    // Asked once: the same bag again is not a new request.
    await provider.run(provider.on.relationChanged(asked), out);
    expect(provider.jujuLog).toEqual([]);
  });

  it('answers in clear a requirer that asked for no secrets', async () => {
    const asked = requirer({ database: 'legacy' });
    const out = await provider.run(
      provider.on.relationChanged(asked),
      state({ leader: true, relations: [asked] }),
    );
    expect(out.secrets).toEqual([]);
    expect(out.relations[0]?.localAppData).toMatchObject({
      username: 'relation_id_9',
      password: 'pw-secret',
    });
  });

  it('does nothing on a non-leader, or before the requirer named a database', async () => {
    for (const [leader, bag] of [
      [false, { database: 'x' }],
      [true, { 'requested-secrets': REQUESTED }],
    ] as const) {
      const out = await provider.run(
        provider.on.relationChanged(requirer(bag)),
        state({ leader, relations: [requirer(bag)] }),
      );
      expect(out.relations[0]?.localAppData).toEqual({});
    }
  });
});
