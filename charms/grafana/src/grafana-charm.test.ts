/**
 * State-transition tests of the grafana charm: the files and the layer it writes (exact text),
 * restarts only on change, the admin secret, both datasource formats and their removal,
 * dashboards (and unreadable ones), the HA rule, config problems and every status.
 */

import { grafanaDashboardProviderAppBag } from '@charm-ts/relations';
import type { ContainerState, OutputState, State } from '@charm-ts/testing';
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
import { MANIFEST_PATH } from './files.ts';
import { GrafanaCharm, STATUS } from './grafana-charm.ts';
import {
  CONFIG_PATH,
  DASHBOARD_PROVIDERS_PATH,
  DASHBOARDS_DIR,
  DATASOURCES_PATH,
} from './workload.ts';

const ctx = new Context(GrafanaCharm);
const PASSWORD = 'Abcdefgh1234';
const UUID = '00000000-0000-4000-8000-000000000000';
const VERSION = { 'grafana-server': { stdout: 'Version 12.0.0 (commit: 1a2b3c, branch: HEAD)\n' } };

/**
 * Counts grafana's launches (start and restart each launch it once). MemoryPebble also asks the
 * model once per run for a service already in the state: `count` subtracts those.
 */
function launches() {
  const calls: string[] = [];
  return {
    model: (_command: string, service: string) => {
      calls.push(service);
      return undefined;
    },
    /** Launches, given how many runs started with grafana already in the plan. */
    launched(seededRuns: number) {
      return calls.length - seededRuns;
    },
  };
}

function grafana(spec: Partial<ContainerState> = {}) {
  return container({ name: 'grafana', execs: VERSION, ...spec });
}

/** A deployed unit: the secret made, the peer relation sharing its id, the storage attached. */
function deployed(spec: Partial<State> = {}, leader = true): State {
  const s = secret({ owner: 'app', label: ADMIN_SECRET_LABEL, content: { password: PASSWORD } });
  const peers = peerRelation({
    endpoint: 'grafana',
    localAppData: { [ADMIN_SECRET_ID_KEY]: s.id },
  });
  return state({
    leader,
    secrets: [s],
    storages: [storage({ name: 'database' })],
    containers: [grafana()],
    ...spec,
    relations: [peers, ...(spec.relations ?? [])],
  });
}

const file = (out: OutputState, path: string) => out.containers[0]?.files[path];

describe('first start', () => {
  it('the leader makes the admin secret, writes every file, starts grafana', async () => {
    const peers = peerRelation({ endpoint: 'grafana' });
    const out = await ctx.run(
      ctx.on.pebbleReady(grafana()),
      state({
        leader: true,
        relations: [peers],
        storages: [storage({ name: 'database' })],
        containers: [grafana()],
      }),
    );
    expect(out.unitStatus).toEqual(status.active(STATUS.started));
    const made = out.secrets.find((s) => s.label === ADMIN_SECRET_LABEL);
    expect(made?.owner).toBe('app');
    const password = made?.revisions[1]?.password ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(out.relations[0]?.localAppData).toEqual({ [ADMIN_SECRET_ID_KEY]: made?.id });
    expect(file(out, CONFIG_PATH)).toBe(
      [
        '; Written by the grafana charm: changes here are overwritten.',
        '',
        '[security]',
        `admin_password = ${password}`,
        '',
        '[database]',
        'type = sqlite3',
        'path = /var/lib/grafana/grafana.db',
        '',
      ].join('\n'),
    );
    expect(file(out, DATASOURCES_PATH)).toBe(
      '# Written by the grafana charm: changes here are overwritten.\napiVersion: 1\ndatasources: []\ndeleteDatasources: []\n',
    );
    expect(file(out, DASHBOARD_PROVIDERS_PATH)).toBe(
      [
        '# Written by the grafana charm: changes here are overwritten.',
        'apiVersion: 1',
        'providers:',
        '  - name: "Default"',
        '    type: "file"',
        '    updateIntervalSeconds: 5',
        '    options:',
        '      path: "/etc/grafana/provisioning/dashboards"',
        '  - name: "Imported"',
        '    type: "file"',
        '    disableDeletion: true',
        '    updateIntervalSeconds: 5',
        '    options:',
        '      path: "/var/lib/grafana/dashboards"',
        '',
      ].join('\n'),
    );
    const service = out.containers[0]?.plan.services?.grafana;
    expect(service?.command).toBe('grafana-server -config /etc/grafana/grafana.ini');
    expect(service?.environment).toEqual({
      GF_SERVER_HTTP_PORT: '3000',
      GF_SERVER_ROOT_URL: 'http://grafana.test-model.svc.cluster.local:3000/',
      GF_SERVER_SERVE_FROM_SUB_PATH: 'false',
      GF_SERVER_ENFORCE_DOMAIN: 'false',
      GF_LOG_LEVEL: 'info',
      GF_PATHS_DATA: '/var/lib/grafana',
      GF_PATHS_PROVISIONING: '/etc/grafana/provisioning',
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ALLOW_EMBEDDING: 'false',
      GF_AUTH_ANONYMOUS_ENABLED: 'false',
      GF_USERS_AUTO_ASSIGN_ORG: 'true',
    });
    // The password is in the 0600 ini only: not in the layer, a log line or the status.
    expect(JSON.stringify(out.containers[0]?.plan)).not.toContain(password);
    expect(JSON.stringify(ctx.jujuLog)).not.toContain(password);
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 3000 }]);
    expect(out.workloadVersion).toBe('12.0.0');
  });

  it('a follower waits for the leader, and starts nothing', async () => {
    const out = await ctx.run(
      ctx.on.pebbleReady(grafana()),
      state({
        relations: [peerRelation({ endpoint: 'grafana' })],
        storages: [storage({ name: 'database' })],
        containers: [grafana()],
      }),
    );
    expect(out.unitStatus).toEqual(status.waiting(STATUS.password));
    expect(out.containers[0]?.plan.services ?? {}).toEqual({});
  });

  it('a follower reads the secret through the id the leader shared', async () => {
    const out = await ctx.run(ctx.on.pebbleReady(grafana()), deployed({}, false));
    expect(out.unitStatus).toEqual(status.active(STATUS.started));
    expect(file(out, CONFIG_PATH)).toContain(`admin_password = ${PASSWORD}\n`);
  });

  it('waits for Pebble and for the storage', async () => {
    const down = await ctx.run(
      ctx.on.configChanged(),
      deployed({ containers: [grafana({ canConnect: false })] }),
    );
    expect(down.unitStatus).toEqual(status.waiting(STATUS.pebble));
    const noStorage = await ctx.run(ctx.on.configChanged(), deployed({ storages: [] }));
    expect(noStorage.unitStatus).toEqual(status.waiting(STATUS.storage));
  });
});

describe('restarts only on change', () => {
  it('an unchanged event restarts nothing and writes nothing', async () => {
    const l = launches();
    const first = await ctx.run(
      ctx.on.pebbleReady(grafana({ processes: l.model })),
      deployed({
        containers: [grafana({ processes: l.model })],
      }),
    );
    expect(l.launched(0)).toBe(1);
    const manifest = file(first, MANIFEST_PATH);
    const again = await ctx.run(ctx.on.updateStatus(), first);
    const more = await ctx.run(ctx.on.configChanged(), again);
    expect(l.launched(2)).toBe(1);
    expect(file(more, MANIFEST_PATH)).toBe(manifest);
    expect(more.unitStatus).toEqual(status.active());
  });

  it('a changed file restarts grafana once, with the original statuses', async () => {
    const l = launches();
    const first = await ctx.run(
      ctx.on.pebbleReady(grafana()),
      deployed({
        containers: [grafana({ processes: l.model })],
      }),
    );
    const rel = prometheus([0]);
    const out = await ctx.run(ctx.on.relationChanged(rel), {
      ...first,
      relations: [...first.relations, rel],
    });
    expect(l.launched(1)).toBe(2);
    expect(ctx.unitStatusHistory.map((s) => s.message)).toContain(STATUS.maintenance);
    expect(out.unitStatus).toEqual(status.active(STATUS.restarted));
  });

  it('config-changed rewrites the layer (the original ignored it): port and log level', async () => {
    const l = launches();
    const first = await ctx.run(
      ctx.on.pebbleReady(grafana()),
      deployed({
        containers: [grafana({ processes: l.model })],
      }),
    );
    const out = await ctx.run(ctx.on.configChanged(), {
      ...first,
      config: { port: 3300, 'log-level': 'debug' },
    });
    const env = out.containers[0]?.plan.services?.grafana?.environment;
    expect(env).toMatchObject({ GF_SERVER_HTTP_PORT: '3300', GF_LOG_LEVEL: 'debug' });
    expect(env).not.toHaveProperty('GF_HTTP_PORT');
    expect(l.launched(1)).toBe(2); // Pebble's replan restarted it: the definition changed
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 3300 }]);
    expect(out.unitStatus).toEqual(status.active(STATUS.started));
  });
});

const SOURCE_DATA = JSON.stringify({
  model: 'cos',
  model_uuid: 'u1',
  application: 'prometheus',
  type: 'prometheus',
  extra_fields: { timeout: 900 },
  secure_extra_fields: null,
});
function prometheus(units: number[], id = 4) {
  return relation({
    endpoint: 'grafana-source',
    remoteApp: 'prometheus',
    id,
    remoteAppData: { grafana_source_data: SOURCE_DATA },
    remoteUnitsData: Object.fromEntries(
      units.map((n) => [n, { grafana_source_host: `prometheus-${n}:9090` }]),
    ),
  });
}
function legacy(id = 5) {
  return relation({
    endpoint: 'grafana-source',
    remoteApp: 'old-prom',
    id,
    remoteUnitsData: {
      0: {
        'private-address': '10.1.0.9',
        port: '9090',
        'source-type': 'prometheus',
        'source-name': 'old',
      },
    },
  });
}

describe('datasources', () => {
  it('both formats, exact YAML; the leader answers today-format sources', async () => {
    const rels = [prometheus([0, 1]), legacy()];
    const out = await ctx.run(
      ctx.on.relationChanged(rels[0] as never),
      deployed({ relations: rels }),
    );
    expect(file(out, DATASOURCES_PATH)).toBe(
      [
        '# Written by the grafana charm: changes here are overwritten.',
        'apiVersion: 1',
        'datasources:',
        '  - name: "juju_cos_u1_prometheus_0"',
        '    type: "prometheus"',
        '    access: "proxy"',
        '    orgId: 1',
        '    url: "http://prometheus-0:9090"',
        '    isDefault: false',
        '    editable: false',
        '    jsonData:',
        '      timeout: 900',
        '  - name: "juju_cos_u1_prometheus_1"',
        '    type: "prometheus"',
        '    access: "proxy"',
        '    orgId: 1',
        '    url: "http://prometheus-1:9090"',
        '    isDefault: false',
        '    editable: false',
        '    jsonData:',
        '      timeout: 900',
        '  - name: "old"',
        '    type: "prometheus"',
        '    access: "proxy"',
        '    orgId: 1',
        '    url: "http://10.1.0.9:9090"',
        '    isDefault: true',
        '    editable: false',
        '    jsonData:',
        '      timeout: 300',
        'deleteDatasources: []',
        '',
      ].join('\n'),
    );
    expect(out.relations.find((r) => r.id === 4)?.localAppData).toEqual({
      grafana_uid: `juju_test-model_${UUID}_grafana`,
      datasource_uids:
        '{"prometheus/0": "juju_cos_u1_prometheus_0", "prometheus/1": "juju_cos_u1_prometheus_1"}',
      grafana_base_url: 'http://grafana.test-model.svc.cluster.local:3000',
    });
    expect(out.relations.find((r) => r.id === 5)?.localAppData).toEqual({});
  });

  it('a second relation-changed keeps the name (the original renamed it)', async () => {
    const rel = legacy();
    const first = await ctx.run(ctx.on.relationChanged(rel), deployed({ relations: [rel] }));
    const second = await ctx.run(ctx.on.relationChanged(rel), first);
    expect(file(second, DATASOURCES_PATH)).toBe(file(first, DATASOURCES_PATH));
    expect(file(second, DATASOURCES_PATH)).toContain('name: "old"');
  });

  it('a broken relation is deleted by name, on a follower too', async () => {
    const rel = prometheus([0]);
    const first = await ctx.run(ctx.on.relationChanged(rel), deployed({ relations: [rel] }, false));
    const out = await ctx.run(ctx.on.relationBroken(rel), first);
    expect(file(out, DATASOURCES_PATH)).toContain(
      'datasources: []\ndeleteDatasources:\n  - name: "juju_cos_u1_prometheus_0"\n    orgId: 1\n',
    );
    expect(out.unitStatus).toEqual(status.active(STATUS.restarted));
  });
});

describe('dashboards', () => {
  const topology = { model: 'cos', model_uuid: 'u1', application: 'db', unit: 'db/0' };
  const dashboardsRelation = (bad: boolean) =>
    relation({
      endpoint: 'grafana-dashboard',
      remoteApp: 'db',
      id: 6,
      remoteAppData: grafanaDashboardProviderAppBag(
        [
          {
            id: 'file:ok',
            charm: 'db-k8s',
            content: JSON.stringify({ uid: 'u-ok', title: 'OK é' }),
            jujuTopology: topology,
          },
          ...(bad
            ? [{ id: 'file:bad', charm: 'db-k8s', content: '{"title": ', jujuTopology: topology }]
            : []),
        ],
        'x',
      ),
    });

  it('provisions each as a file; an unreadable one is reported back and in the status', async () => {
    const rel = dashboardsRelation(true);
    const out = await ctx.run(ctx.on.relationChanged(rel), deployed({ relations: [rel] }));
    const files = Object.keys(out.containers[0]?.files ?? {}).filter((p) =>
      p.startsWith(`${DASHBOARDS_DIR}/juju_`),
    );
    expect(files).toEqual([expect.stringMatching(/\/juju_db-k8s_[0-9a-f]{7}\.json$/)]);
    expect(JSON.parse(file(out, files[0] as string) ?? '{}')).toMatchObject({
      uid: 'u-ok',
      title: 'OK é',
    });
    expect(JSON.parse(out.relations.find((r) => r.id === 6)?.localAppData.event ?? '{}')).toEqual({
      errors: [{ dashboard_id: 'file:bad', error: expect.stringMatching(/^not JSON: /) }],
    });
    expect(out.unitStatus.status).toBe('active');
    expect(out.unitStatus.message).toMatch(
      /1 dashboard unreadable \(grafana-dashboard:6 file:bad: not JSON: /,
    );
  });

  it('a dashboard that goes is removed from the container', async () => {
    const rel = dashboardsRelation(false);
    const first = await ctx.run(ctx.on.relationChanged(rel), deployed({ relations: [rel] }));
    const out = await ctx.run(ctx.on.relationBroken(rel), first);
    expect(Object.keys(out.containers[0]?.files ?? {}).filter((p) => p.includes('/juju_'))).toEqual(
      [],
    );
  });
});

describe('the HA rule', () => {
  it("scale > 1 without pgsql blocks with today's text and leaves grafana alone", async () => {
    const out = await ctx.run(ctx.on.configChanged(), deployed({ plannedUnits: 2 }));
    expect(out.unitStatus).toEqual(status.blocked(STATUS.scale));
    expect(out.containers[0]?.plan.services ?? {}).toEqual({});
  });
});

describe('config', () => {
  it.each([
    [{ port: 0 }, "invalid config option 'port': must be a port number from 1 to 65535, not 0"],
    [
      { 'log-level': 'loud' },
      `invalid config option 'log-level': must be one of debug, info, warn, error, critical, not "loud"`,
    ],
    [
      { 'admin-user': 'a:b' },
      `invalid config option 'admin-user': must be 1 to 190 printable characters without spaces or ':', not "a:b"`,
    ],
    [
      { 'datasource-query-timeout': 0 },
      "invalid config option 'datasource-query-timeout': must be a whole number of seconds above 0, not 0",
    ],
    [
      { 'external-hostname': 'no spaces' },
      `invalid config option 'external-hostname': must be a hostname (letters, digits, '-' and '.'), not "no spaces"`,
    ],
  ])('%j blocks, naming the key, and changes nothing', async (config, message) => {
    const first = await ctx.run(ctx.on.pebbleReady(grafana()), deployed());
    const out = await ctx.run(ctx.on.configChanged(), { ...first, config });
    expect(out.unitStatus).toEqual(status.blocked(message));
    expect(out.containers[0]?.plan).toEqual(first.containers[0]?.plan);
  });

  it('external-hostname is the root URL without ingress', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      deployed({ config: { 'external-hostname': 'grafana.example' } }),
    );
    expect(out.containers[0]?.plan.services?.grafana?.environment?.GF_SERVER_ROOT_URL).toBe(
      'http://grafana.example/',
    );
  });
});
