/**
 * State-transition tests of the gunicorn charm: the context from each answer PostgreSQL may
 * give (a secret, clear fields), the exact layer and files, restarts only on change, every
 * status, the action, what the charm writes on its relations, and that the password shows
 * nowhere but in the workload's environment.
 */
import type { ContainerState, OutputState, State } from '@charm-ts/testing';
import { Context, container, relation, secret, state, status } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { GunicornCharm, WAITING_FOR_PEBBLE } from './gunicorn.ts';
import { GUNICORN_CONFIG_PATH } from './webserver.ts';
import { gunicornLayer, MAPPING_PATH, STARTUP_FAILED, STATSD_MAPPING } from './workload.ts';

const ctx = new Context(GunicornCharm);
const PASSWORD = 'pw-N3VER-SH0WN&x y';
const ENVIRONMENT = 'DB_URI: {{pg.db_uri}}\nPGHOST: {{pg.host}}\nCONN: "{{pg.conn_str}}"';
const DB_URI = `postgresql://relation_id_7:${encodeURIComponent(PASSWORD)}@10.1.0.5:5432/gunicorn-k8s`;
const REQUESTED =
  '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]';

/** PostgreSQL's user secret, granted to the relation. */
function userSecret(
  relationId: number,
  content = { username: 'relation_id_7', password: PASSWORD },
) {
  return secret({ revisions: { 1: content }, grants: { [relationId]: ['gunicorn-k8s'] } });
}

/** A pg relation on which PostgreSQL answered through a secret (as current charms do). */
function answeredPg(extra: Record<string, string> = {}) {
  const id = 40 + Math.floor(Math.random() * 1000);
  const s = userSecret(id);
  const pg = relation({
    id,
    endpoint: 'pg',
    remoteApp: 'postgresql-k8s',
    remoteAppData: {
      database: 'gunicorn-k8s',
      endpoints: '10.1.0.5:5432',
      'read-only-endpoints': '10.1.0.6:5432',
      version: '15.4',
      'secret-user': s.id,
      ...extra,
    },
  });
  return { pg, secret: s };
}

function gunicorn(spec: Partial<ContainerState> = {}) {
  return container({ name: 'gunicorn', ...spec });
}

function deployed(spec: Partial<State> = {}, config: Record<string, string | number> = {}): State {
  const { pg, secret: s } = answeredPg();
  return state({
    leader: true,
    config: { environment: ENVIRONMENT, startup_command: 'gunicorn app:app', ...config },
    relations: [pg],
    secrets: [s],
    containers: [gunicorn()],
    ...spec,
  });
}

const out0 = (out: OutputState) => out.containers.find((c) => c.name === 'gunicorn');
const envOf = (out: OutputState) =>
  out0(out)?.plan.services?.gunicorn?.environment as Record<string, string> | undefined;

/** Every text the charm showed: statuses, log lines, action results and failure. */
function shown(out: OutputState): string {
  return JSON.stringify({
    status: out.unitStatus,
    history: ctx.unitStatusHistory,
    log: ctx.jujuLog,
    action: ctx.action,
    relations: out.relations,
  });
}

describe('the template context', () => {
  it("has the original's names from PostgreSQL's secret answer", async () => {
    const out = await ctx.run(ctx.on.configChanged(), deployed());
    expect(out.unitStatus).toEqual(status.active());
    expect(envOf(out)).toEqual({
      DB_URI,
      PGHOST: '10.1.0.5',
      CONN: `dbname=gunicorn-k8s host=10.1.0.5 password='pw-N3VER-SH0WN&x y' port=5432 user=relation_id_7`,
      GUNICORN_CMD_ARGS: `--config=${GUNICORN_CONFIG_PATH}`,
    });
  });

  it('reads the credentials in clear from a provider without secrets', async () => {
    const pg = relation({
      endpoint: 'pg',
      remoteAppData: {
        endpoints: 'pg.example:6432',
        username: 'u',
        password: 'p',
        database: 'other',
      },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(pg),
      deployed(
        { relations: [pg], secrets: [] },
        {
          environment:
            'A: {{pg.db_uri}}\nB: {{pg.user}}:{{pg.password}}@{{pg.host}}:{{pg.port}}/{{pg.database}}\nC: "{{pg.ro_uris}}"',
        },
      ),
    );
    expect(out.unitStatus).toEqual(status.active());
    expect(envOf(out)).toMatchObject({
      A: 'postgresql://u:p@pg.example:6432/other',
      B: 'u:p@pg.example:6432/other',
      C: '',
    });
  });

  it("has every related application's data under its endpoint, as the original merged it", async () => {
    const influx = relation({
      endpoint: 'influxdb',
      remoteAppData: { hostname: 'app-level', port: '8086' },
      remoteUnitsData: { 1: { hostname: 'influx-1' }, 0: { hostname: 'influx-0', user: 'x' } },
    });
    const s = deployed(
      {},
      { environment: 'H: {{influxdb.hostname}}:{{influxdb.port}} {{influxdb.user}}' },
    );
    const out = await ctx.run(ctx.on.configChanged(), {
      ...s,
      relations: [...s.relations, influx],
    });
    expect(envOf(out)).toMatchObject({ H: 'influx-0:8086 x' });
  });

  it("follows the database library's events: databaseCreated renders it, a repeat does nothing", async () => {
    const input = deployed();
    const [pg] = input.relations;
    if (!pg) throw new Error('no pg relation');
    const out = await ctx.run(ctx.on.relationChanged(pg), input);
    expect(ctx.jujuLog).toContainEqual({
      level: 'INFO',
      message: `database created on pg:${pg.id}`,
    });
    expect(envOf(out)?.DB_URI).toBe(DB_URI);
    expect(out.storedState['database-requirer[pg]']).toMatchObject({
      seen: { [pg.id]: { endpoints: '10.1.0.5:5432' } },
    });
    // The same answer again is no news: the charm is not run (no Pebble, no status change).
    await ctx.run(ctx.on.relationChanged(pg), { ...out, containers: [gunicorn(out0(out))] });
    expect(ctx.hookToolCalls.map((c) => c.tool)).toEqual(['state-get', 'relation-get']);
  });

  it("has ingress' URL from the ingress library's ready event", async () => {
    const ingress = relation({
      endpoint: 'ingress',
      remoteApp: 'traefik',
      remoteAppData: { ingress: '{"url": "http://gw.example/m-gunicorn-k8s"}' },
    });
    const s = deployed({}, { environment: 'URL: {{ingress.url}}' });
    const out = await ctx.run(ctx.on.relationChanged(ingress), {
      ...s,
      relations: [...s.relations, ingress],
    });
    expect(ctx.jujuLog).toContainEqual({
      level: 'INFO',
      message: 'ingress ready at http://gw.example/m-gunicorn-k8s',
    });
    expect(envOf(out)?.URL).toBe('http://gw.example/m-gunicorn-k8s');
  });

  it('show-environment-context lists the names, never a value', async () => {
    const out = await ctx.run(ctx.on.action('show-environment-context'), deployed());
    const names = JSON.parse(String(ctx.action?.results['available-variables']));
    expect(names).toEqual([
      'pg.conn_str',
      'pg.database',
      'pg.db_uri',
      'pg.host',
      'pg.password',
      'pg.port',
      'pg.ro_uris',
      'pg.user',
      'pg.version',
    ]);
    expect(ctx.action?.results['available-variables']).toBe(JSON.stringify(names, null, 4));
    expect(shown(out)).not.toContain('N3VER');
  });
});

describe('the workload', () => {
  it('is one layer with both services, a ready check on the app port, and the files they read', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(gunicorn()),
      deployed({}, { external_port: 8000 }),
    );
    const c = out0(out);
    const { GUNICORN_CMD_ARGS: _, ...environment } = envOf(out) ?? {};
    expect(c?.layers.gunicorn).toEqual(
      gunicornLayer({ command: 'gunicorn app:app', port: 8000, environment }),
    );
    expect(c?.plan.checks?.['gunicorn-ready']).toMatchObject({
      level: 'ready',
      http: { url: 'http://127.0.0.1:8000' },
    });
    expect(c?.plan.services?.['statsd-exporter']?.command).toBe(
      'statsd_exporter --statsd.mapping-config=/statsd.conf --statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125 --web.listen-address=:9102',
    );
    expect(c?.files[MAPPING_PATH]).toBe(STATSD_MAPPING);
    expect(c?.files[GUNICORN_CONFIG_PATH]).toBe(
      '# Written by the gunicorn-k8s charm: changes are overwritten.\nbind = ["0.0.0.0:8000"]\nstatsd_host = "localhost:9125"\n',
    );
    expect(c?.serviceStatuses).toEqual({ gunicorn: 'active', 'statsd-exporter': 'active' });
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 8000 }]);
  });

  it('restarts only what changed: nothing on a repeat, gunicorn alone for workers', async () => {
    // Launches per service; MemoryPebble also asks once per service it starts out running.
    const launches: string[] = [];
    const processes = (_command: string, service: string) => {
      launches.push(service);
      return undefined;
    };
    const count = () => ({
      gunicorn: launches.filter((s) => s === 'gunicorn').length,
      exporter: launches.filter((s) => s === 'statsd-exporter').length,
    });
    const next = (o: OutputState, config = {}) => {
      launches.length = 0;
      return state({
        ...o,
        config: { ...o.config, ...config },
        containers: [gunicorn({ ...out0(o), processes })],
      });
    };
    let out = await ctx.run(
      ctx.on.configChanged(),
      deployed({ containers: [gunicorn({ processes })] }),
    );
    expect(count()).toEqual({ gunicorn: 1, exporter: 1 });
    out = await ctx.run(ctx.on.updateStatus(), next(out));
    expect(count()).toEqual({ gunicorn: 1, exporter: 1 });
    out = await ctx.run(ctx.on.configChanged(), next(out, { workers: 4, threads: 2 }));
    expect(count()).toEqual({ gunicorn: 2, exporter: 1 });
    expect(out0(out)?.files[GUNICORN_CONFIG_PATH]).toContain('workers = 4\nthreads = 2\n');
    expect(ctx.jujuLog.map((l) => l.message)).toContain('workload: restarted gunicorn');
    // A new environment changes gunicorn's definition: Pebble restarts it, not the exporter.
    out = await ctx.run(ctx.on.configChanged(), next(out, { environment: 'A: b' }));
    expect(count()).toEqual({ gunicorn: 2, exporter: 1 });
    expect(envOf(out)).toEqual({ A: 'b', GUNICORN_CMD_ARGS: `--config=${GUNICORN_CONFIG_PATH}` });
  });

  it("blocks with the original's text when the startup command fails at once", async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      deployed({}, { startup_command: '/bin/sh -c "echo no such app; exit 3"' }),
    );
    expect(out.unitStatus).toEqual(status.blocked(STARTUP_FAILED));
  });

  it("waits, with the original's text, for Pebble", async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      deployed({ containers: [gunicorn({ canConnect: false })] }),
    );
    expect(out.unitStatus).toEqual(status.maintenance(WAITING_FOR_PEBBLE));
  });

  it('does not touch a running workload while the template cannot be rendered', async () => {
    const running = await ctx.run(ctx.on.configChanged(), deployed());
    const pg = running.relations[0];
    if (!pg) throw new Error('no pg relation');
    const out = await ctx.run(
      ctx.on.relationBroken(pg),
      state({ ...running, containers: [gunicorn(out0(running))] }),
    );
    expect(out.unitStatus).toEqual(status.blocked('Waiting for pg relation(s)'));
    expect(envOf(out)?.DB_URI).toBe(DB_URI);
  });
});

describe('statuses', () => {
  it.each([
    [
      { workers: 300 },
      "workers must be an integer from 0 to 256 (0: gunicorn's default, 1), not 300: set it with 'juju config <app> workers=…'",
    ],
    [
      { timeout: -1 },
      "timeout must be an integer from 0 to 86400 (0: gunicorn's default, 30 seconds), not -1: set it with 'juju config <app> timeout=…'",
    ],
    [{ external_port: 70000 }, 'external_port must be a port from 1 to 65535, not 70000'],
    [
      { startup_command: ' ' },
      "startup_command must not be empty: set it with 'juju config <app> startup_command=…'",
    ],
  ])('blocks on config %j', async (config, message) => {
    const out = await ctx.run(ctx.on.configChanged(), deployed({}, config));
    expect(out.unitStatus).toEqual(status.blocked(message));
  });

  it("blocks with the original's text without the pg relation, and waits for its answer", async () => {
    let out = await ctx.run(ctx.on.configChanged(), deployed({ relations: [], secrets: [] }));
    expect(out.unitStatus).toEqual(status.blocked('Waiting for pg relation(s)'));
    const pg = relation({ endpoint: 'pg', remoteAppData: { endpoints: '10.1.0.5:5432' } });
    out = await ctx.run(ctx.on.relationCreated(pg), deployed({ relations: [pg], secrets: [] }));
    expect(out.unitStatus).toEqual(status.waiting('Waiting for data on the pg relation(s)'));
  });

  it('blocks on an answer it cannot read, naming the relation, the bag and the key', async () => {
    const { pg, secret: s } = answeredPg({ endpoints: '10.1.0.5:postgres' });
    const out = await ctx.run(
      ctx.on.relationChanged(pg),
      deployed({ relations: [pg], secrets: [s] }),
    );
    expect(out.unitStatus).toEqual(
      status.blocked(
        `relation pg:${pg.id} remote-app bag (postgresql-k8s): key 'endpoints': has a port that is not 1 to 65535 in "10.1.0.5:postgres"`,
      ),
    );
  });

  it('never shows the password: YAML errors, template errors, logs, relations, the action', async () => {
    for (const environment of [
      'DB: {{pg.db_uri}}: x',
      'DB: [{{ pg.password }}',
      '{{ raise_exception(pg.password) }}',
      'A: {{ pg.password }}\nA: {{ pg.password }}',
    ]) {
      const out = await ctx.run(ctx.on.configChanged(), deployed({}, { environment }));
      expect(out.unitStatus.status, environment).toBe('blocked');
      expect(shown(out), environment).not.toContain('N3VER');
    }
    const out = await ctx.run(ctx.on.configChanged(), deployed());
    expect(shown(out)).not.toContain('N3VER');
    // The workload's environment is where it goes.
    expect(JSON.stringify(envOf(out))).toContain('N3VER');
  });
});

describe('what the charm writes on its relations', () => {
  it('asks PostgreSQL for a database named after the application, as DatabaseRequires does', async () => {
    const pg = relation({ endpoint: 'pg', remoteApp: 'postgresql-k8s' });
    const out = await ctx.run(
      ctx.on.relationCreated(pg),
      deployed({ relations: [pg], secrets: [] }),
    );
    const written = out.relations.find((r) => r.id === pg.id);
    expect(written?.localAppData).toEqual({
      'requested-secrets': REQUESTED,
      'provided-secrets': '["mtls-cert"]',
      database: 'gunicorn-k8s',
    });
    expect(written?.localUnitData).toEqual({
      'requested-secrets': REQUESTED,
      'provided-secrets': '["mtls-cert"]',
    });
  });

  it("announces the exporter's port to Prometheus, and the app's port to ingress", async () => {
    const metrics = relation({ endpoint: 'metrics-endpoint', remoteApp: 'prometheus' });
    const ingress = relation({ endpoint: 'ingress', remoteApp: 'traefik' });
    const s = deployed();
    const out = await ctx.run(ctx.on.relationJoined(metrics), {
      ...s,
      relations: [...s.relations, metrics, ingress],
    });
    const bags = (id: number) => out.relations.find((r) => r.id === id);
    expect(JSON.parse(bags(metrics.id)?.localAppData.scrape_jobs ?? '')).toEqual([
      { metrics_path: '/metrics', static_configs: [{ targets: ['*:9102'] }] },
    ]);
    expect(bags(metrics.id)?.localUnitData).toMatchObject({
      prometheus_scrape_unit_name: 'gunicorn-k8s/0',
    });
    expect(bags(ingress.id)?.localAppData).toEqual({
      model: '"test-model"',
      name: '"gunicorn-k8s"',
      port: '8080',
      is_port_open: 'true',
      'strip-prefix': 'true',
    });
  });
});
