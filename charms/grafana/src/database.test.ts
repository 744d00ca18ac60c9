/**
 * `pgsql` (postgresql_client) and `metrics-endpoint` (prometheus_scrape): the database request,
 * Grafana's `[database]` from PostgreSQL's answer (secret or clear), the HA rule met, back to
 * SQLite when the relation breaks (the original pushed an empty ini), and the scrape job.
 */
import type { State } from '@charm-ts/testing';
import {
  Context,
  container,
  peerRelation,
  relation,
  secret,
  state,
  status,
  storage,
} from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { ADMIN_SECRET_ID_KEY, ADMIN_SECRET_LABEL } from './admin-password.ts';
import { GrafanaCharm, STATUS } from './grafana-charm.ts';
import { CONFIG_PATH } from './workload.ts';

const ctx = new Context(GrafanaCharm);
const UUID = '00000000-0000-4000-8000-000000000000';
const DB = `grafana-grafana-${UUID}`;

function deployed(spec: Partial<State> = {}, leader = true): State {
  const admin = secret({
    owner: 'app',
    label: ADMIN_SECRET_LABEL,
    content: { password: 'Abcdefgh1234' },
  });
  const peers = peerRelation({
    endpoint: 'grafana',
    localAppData: { [ADMIN_SECRET_ID_KEY]: admin.id },
  });
  return state({
    leader,
    storages: [storage({ name: 'database' })],
    containers: [container({ name: 'grafana' })],
    ...spec,
    secrets: [admin, ...(spec.secrets ?? [])],
    relations: [peers, ...(spec.relations ?? [])],
  });
}

/** PostgreSQL's answer through its user secret, granted to the relation (as current charms do). */
function answered(id = 8) {
  const user = secret({
    revisions: { 1: { username: 'relation_id_8', password: 'pg#pass;1' } },
    grants: { [id]: ['grafana'] },
  });
  const pgsql = relation({
    endpoint: 'pgsql',
    remoteApp: 'postgresql',
    id,
    remoteAppData: {
      database: DB,
      endpoints: '10.1.0.7:5432',
      version: '15.4',
      'secret-user': user.id,
    },
  });
  return { pgsql, user };
}

describe('pgsql', () => {
  it('the leader asks for the database; the unit waits for the answer', async () => {
    const pgsql = relation({ endpoint: 'pgsql', remoteApp: 'postgresql', id: 8 });
    const out = await ctx.run(ctx.on.relationCreated(pgsql), deployed({ relations: [pgsql] }));
    expect(out.relations.find((r) => r.id === 8)?.localAppData).toMatchObject({ database: DB });
    expect(out.unitStatus).toEqual(status.waiting(STATUS.database));
  });

  it("PostgreSQL's answer (its secret) becomes [database]; scale 2 is fine with it", async () => {
    const { pgsql, user } = answered();
    const out = await ctx.run(
      ctx.on.relationChanged(pgsql),
      deployed({ relations: [pgsql], secrets: [user], plannedUnits: 2 }),
      // a follower reads the same answer itself: no copy goes through the peer relation
    );
    expect(out.containers[0]?.files[CONFIG_PATH]).toBe(
      [
        '; Written by the grafana charm: changes here are overwritten.',
        '',
        '[security]',
        'admin_password = Abcdefgh1234',
        '',
        '[database]',
        'type = postgres',
        'host = 10.1.0.7:5432',
        `name = ${DB}`,
        'user = relation_id_8',
        'password = """pg#pass;1"""',
        'ssl_mode = disable',
        '',
      ].join('\n'),
    );
    expect(out.unitStatus).toEqual(status.active(STATUS.started));
    const follower = await ctx.run(
      ctx.on.relationChanged(pgsql),
      deployed({ relations: [pgsql], secrets: [user], plannedUnits: 2 }, false),
    );
    expect(follower.containers[0]?.files[CONFIG_PATH]).toBe(out.containers[0]?.files[CONFIG_PATH]);
    expect(JSON.stringify(ctx.jujuLog)).not.toContain('pg#pass;1');
  });

  it('reads credentials in clear from a provider without secrets', async () => {
    const pgsql = relation({
      endpoint: 'pgsql',
      remoteApp: 'postgresql',
      id: 8,
      remoteAppData: { endpoints: 'pg.example:6432', username: 'u', password: 'p', tls: 'True' },
    });
    const out = await ctx.run(ctx.on.relationChanged(pgsql), deployed({ relations: [pgsql] }));
    expect(out.containers[0]?.files[CONFIG_PATH]).toContain(
      `[database]\ntype = postgres\nhost = pg.example:6432\nname = ${DB}\nuser = u\npassword = p\nssl_mode = require\n`,
    );
  });

  it('when the relation breaks, the ini goes back to SQLite, whole (the original pushed it empty)', async () => {
    const { pgsql, user } = answered();
    const first = await ctx.run(
      ctx.on.relationChanged(pgsql),
      deployed({ relations: [pgsql], secrets: [user] }),
    );
    const out = await ctx.run(ctx.on.relationBroken(pgsql), first);
    expect(out.containers[0]?.files[CONFIG_PATH]).toContain(
      '[database]\ntype = sqlite3\npath = /var/lib/grafana/grafana.db\n',
    );
    expect(out.unitStatus).toEqual(status.active(STATUS.restarted));
  });
});

describe('metrics-endpoint', () => {
  it("publishes a scrape job for Grafana's /metrics on every unit, at the configured port", async () => {
    const prom = relation({ endpoint: 'metrics-endpoint', remoteApp: 'prometheus', id: 9 });
    const out = await ctx.run(
      ctx.on.relationJoined(prom),
      deployed({ relations: [prom], config: { port: 3300 } }),
    );
    const bags = out.relations.find((r) => r.id === 9);
    const jobs = JSON.parse(bags?.localAppData.scrape_jobs ?? '[]');
    expect(jobs).toEqual([
      expect.objectContaining({
        metrics_path: '/metrics',
        static_configs: [{ targets: ['*:3300'] }],
      }),
    ]);
    expect(JSON.parse(bags?.localAppData.scrape_metadata ?? '{}')).toMatchObject({
      application: 'grafana',
      charm_name: 'grafana',
    });
    expect(bags?.localUnitData).toHaveProperty('prometheus_scrape_unit_address');
  });
});
