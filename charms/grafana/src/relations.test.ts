/**
 * The relations the charm speaks through `@charm-ts/relations`' libraries: `pgsql`
 * (postgresql_client: the database request, Grafana's `[database]` from PostgreSQL's answer,
 * secret or clear, the HA rule met, back to SQLite when the relation breaks: the original pushed
 * an empty ini), `ingress` (the request, the URL as Grafana's root URL) and `metrics-endpoint`
 * (prometheus_scrape: the scrape job). The bags are pinned byte for byte: they are what the
 * Python libraries write (proven against them in @charm-ts/relations).
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
/** What data_interfaces' `DatabaseRequires` asks for through secrets, as `json.dumps` writes it. */
const REQUESTED_SECRETS =
  '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]';
const HOST = 'grafana-0.grafana-endpoints.test-model.svc.cluster.local';
/** The in-memory tools' default bind address. */
const IP = '192.0.2.0';
const rootUrl = (out: {
  containers: readonly {
    plan: { services?: Record<string, { environment?: Record<string, string> }> };
  }[];
}) => out.containers[0]?.plan.services?.grafana?.environment?.GF_SERVER_ROOT_URL;
const relationSets = () => ctx.hookToolCalls.filter((c) => c.tool === 'relation-set');

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
  it('the leader asks for the database, as DatabaseRequires writes it; the unit waits for the answer', async () => {
    const pgsql = relation({ endpoint: 'pgsql', remoteApp: 'postgresql', id: 8 });
    const out = await ctx.run(ctx.on.relationCreated(pgsql), deployed({ relations: [pgsql] }));
    const bags = out.relations.find((r) => r.id === 8);
    expect(bags?.localAppData).toEqual({
      'requested-secrets': REQUESTED_SECRETS,
      'provided-secrets': '["mtls-cert"]',
      database: DB,
    });
    expect(bags?.localUnitData).toEqual({
      'requested-secrets': REQUESTED_SECRETS,
      'provided-secrets': '["mtls-cert"]',
    });
    expect(out.unitStatus).toEqual(status.waiting(STATUS.database));
  });

  it('a follower asks for nothing', async () => {
    const pgsql = relation({ endpoint: 'pgsql', remoteApp: 'postgresql', id: 8 });
    const out = await ctx.run(
      ctx.on.relationCreated(pgsql),
      deployed({ relations: [pgsql] }, false),
    );
    expect(out.relations.find((r) => r.id === 8)?.localAppData).toEqual({});
    expect(relationSets()).toEqual([]);
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
    // Through the database library: its `databaseCreated` reached the charm, and it keeps what
    // it saw of the answer (never a credential) in its own state.
    expect(ctx.jujuLog).toContainEqual({ level: 'INFO', message: 'database created on pgsql:8' });
    expect(out.storedState['database-requirer[pgsql]']).toEqual({
      seen: {
        '8': {
          keys: ['database', 'endpoints', 'secret-user', 'version'],
          endpoints: '10.1.0.7:5432',
          readOnlyEndpoints: null,
        },
      },
    });
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

describe('ingress', () => {
  const traefik = (spec: Partial<Parameters<typeof relation>[0]> = {}) =>
    relation({ endpoint: 'ingress', remoteApp: 'traefik', id: 5, ...spec });

  it("the leader asks for Grafana's port, the prefix kept (IngressPerAppRequirer(port, strip_prefix=False))", async () => {
    // A v1 requirer's `host` in the application bag goes: the bag is written whole.
    const rel = traefik({ localAppData: { host: 'old' } });
    const out = await ctx.run(
      ctx.on.relationCreated(rel),
      deployed({ relations: [rel], config: { port: 3300 } }),
    );
    const bags = out.relations.find((r) => r.id === 5);
    expect(bags?.localAppData).toEqual({ model: '"test-model"', name: '"grafana"', port: '3300' });
    expect(bags?.localUnitData).toEqual({ host: `"${HOST}"`, ip: `"${IP}"` });
  });

  it('says the port is open once it is; a follower writes its unit bag only', async () => {
    const rel = traefik();
    const open = await ctx.run(
      ctx.on.relationJoined(rel),
      deployed({ relations: [rel], openedPorts: [{ protocol: 'tcp', port: 3000 }] }),
    );
    expect(open.relations.find((r) => r.id === 5)?.localAppData).toEqual({
      model: '"test-model"',
      name: '"grafana"',
      port: '3000',
      is_port_open: 'true',
    });
    const follower = await ctx.run(
      ctx.on.relationJoined(rel),
      deployed({ relations: [rel] }, false),
    );
    expect(follower.relations.find((r) => r.id === 5)?.localAppData).toEqual({});
    expect(follower.relations.find((r) => r.id === 5)?.localUnitData).toEqual({
      host: `"${HOST}"`,
      ip: `"${IP}"`,
    });
  });

  it("the URL traefik grants is Grafana's root URL, until the relation breaks", async () => {
    const rel = traefik({
      remoteAppData: { ingress: '{"url": "http://gw.example/test-model-grafana"}' },
    });
    const out = await ctx.run(ctx.on.relationChanged(rel), deployed({ relations: [rel] }));
    expect(rootUrl(out)).toBe('http://gw.example/test-model-grafana/');
    // Through the ingress library: its `ready` reached the charm, the URL is in its state.
    expect(ctx.jujuLog).toContainEqual({
      level: 'INFO',
      message: 'ingress ready at http://gw.example/test-model-grafana',
    });
    const answerReads = () =>
      ctx.hookToolCalls.filter((c) => c.tool === 'relation-get' && c.args[1] === 'traefik');
    expect(answerReads()).toHaveLength(1);
    expect(out.storedState['ingress-requirer[ingress]']).toEqual({
      currentUrl: 'http://gw.example/test-model-grafana',
      problem: null,
    });
    expect(
      out.containers[0]?.plan.services?.grafana?.environment?.GF_SERVER_SERVE_FROM_SUB_PATH,
    ).toBe('true');
    // The next hook says the port Grafana opened when it started is open; then nothing changes.
    const opened = await ctx.run(ctx.on.updateStatus(), out);
    expect(relationSets().map((c) => c.args[1])).toEqual([{ is_port_open: 'true' }]);
    const again = await ctx.run(ctx.on.updateStatus(), opened);
    expect(rootUrl(again)).toBe('http://gw.example/test-model-grafana/');
    expect(relationSets()).toEqual([]);
    // Read from the library's state: no relation-get for the answer on a later hook.
    expect(answerReads()).toEqual([]);
    const broken = await ctx.run(ctx.on.relationBroken(rel), again);
    expect(rootUrl(broken)).toBe('http://grafana.test-model.svc.cluster.local:3000/');
    expect(ctx.jujuLog).toContainEqual({ level: 'INFO', message: 'ingress revoked' });
    expect(relationSets()).toEqual([]);
  });
});

describe('metrics-endpoint', () => {
  const prometheus = () =>
    relation({ endpoint: 'metrics-endpoint', remoteApp: 'prometheus', id: 9 });

  it("publishes a scrape job for Grafana's /metrics on every unit, at the configured port", async () => {
    const prom = prometheus();
    const out = await ctx.run(
      ctx.on.relationJoined(prom),
      deployed({ relations: [prom], config: { port: 3300 } }),
    );
    const bags = out.relations.find((r) => r.id === 9);
    expect(bags?.localAppData.scrape_jobs).toBe(
      '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:3300"]}]}]',
    );
    expect(bags?.localAppData.scrape_metadata).toBe(
      `{"model": "test-model", "model_uuid": "${UUID}", "application": "grafana", "unit": "grafana/0", "charm_name": "grafana"}`,
    );
    // The generic rules, their group named after the model and the app (`-` as `_`).
    expect(bags?.localAppData.alert_rules).toMatch(
      /^\{"groups": \[\{"name": "test_model_00000000_\w+_HostHealth_rules"/,
    );
    expect(bags?.localUnitData).toEqual({
      prometheus_scrape_unit_address: IP,
      prometheus_scrape_unit_name: 'grafana/0',
    });
    const follower = await ctx.run(
      ctx.on.relationJoined(prom),
      deployed({ relations: [prom] }, false),
    );
    expect(follower.relations.find((r) => r.id === 9)?.localAppData).toEqual({});
    expect(follower.relations.find((r) => r.id === 9)?.localUnitData).toEqual(bags?.localUnitData);
  });

  it('a new port is published on config-changed', async () => {
    const prom = prometheus();
    const first = await ctx.run(ctx.on.relationJoined(prom), deployed({ relations: [prom] }));
    const out = await ctx.run(ctx.on.configChanged(), { ...first, config: { port: 3301 } });
    expect(out.relations.find((r) => r.id === 9)?.localAppData.scrape_jobs).toBe(
      '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:3301"]}]}]',
    );
  });

  it('a config problem publishes nothing', async () => {
    const prom = prometheus();
    const out = await ctx.run(
      ctx.on.relationJoined(prom),
      deployed({ relations: [prom], config: { port: 0 } }),
    );
    expect(out.relations.find((r) => r.id === 9)?.localAppData).toEqual({});
    expect(relationSets()).toEqual([]);
  });
});
