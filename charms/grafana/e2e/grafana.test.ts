// grafana end to end: the packed charm in charm-sim pods with a real Pebble. The workload is a
// STAND-IN for Grafana (e2e/grafana-standin, installed as grafana-server by test-deps.sh):
// Grafana cannot be installed here. The other sides are grafana-k8s's own libraries, unmodified,
// in Python ops test charms. One model, shared by the tests, in order: the issue's story.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PebbleClient } from '@charm-ts/pebble';
import { waitUntil } from '@charm-ts/pebble/testing';
import { hookToolBundle, Simulator } from '@charm-ts/sim';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  api,
  DASHBOARD_LIB,
  INGRESS_LIB,
  missingRequirement,
  packGrafana,
  packProviders,
  SOURCE_LIB,
  STANDIN_COMMAND,
  standIn,
} from './support.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`grafana e2e cannot run: ${missing}`);
const WORKLOAD = missing
  ? 'a stand-in'
  : `a STAND-IN for Grafana (${STANDIN_COMMAND}: ${standIn()})`;
const log = (line: string) => process.stdout.write(`[grafana e2e] ${line}\n`);
/** Each step's bound: deploying and scaling run dozens of hooks, minutes on 2 busy cores. */
const STEP_MS = 180_000;

interface Datasource {
  name: string;
  type: string;
  url: string;
  jsonData: Record<string, unknown>;
}

describe.skipIf(missing)(
  `grafana in charm-sim with ${WORKLOAD}${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'grafana-e2e-'));
    const stateDir = join(work, 'state');
    let sim: Simulator;
    let password = '';
    const started = Date.now();

    const unit = (n = 0) => sim.state.units[`grafana/${n}`];
    const address = (n = 0) => unit(n)?.address ?? '';
    const admin = () => ({ user: 'admin', password });
    const datasources = async (n = 0) =>
      (await api(address(n), '/api/datasources', admin())).body as Datasource[];
    /** What the unit's relation libraries keep in its charm state, by namespace. */
    const libraryState = (namespace: string, n = 0) =>
      JSON.parse(unit(n)?.state['charm-ts'] ?? '{}').stored?.[namespace];
    /** The server settings the stand-in started with. */
    const serverSettings = async () =>
      (
        (await api(address(), '/api/standin', admin())).body as {
          settings: { server: { root_url: string; serve_from_sub_path: string } };
        }
      ).settings.server;

    beforeAll(async () => {
      try {
        hookToolBundle();
      } catch {
        execFileSync('pnpm', ['--filter', '@charm-ts/sim', 'build'], { stdio: 'inherit' });
      }
      const dist = join(work, 'dist');
      const charm = await packGrafana(dist);
      sim = Simulator.open({ stateDir, hookTimeoutMs: 60_000 });
      log(`workload: ${WORKLOAD}; Grafana itself cannot be installed here`);
      await sim.deploy(charm);
    });

    afterAll(async () => {
      await sim?.destroy();
      rmSync(work, { recursive: true, force: true });
      log(`duration: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    test(
      'deploy → active; get-admin-password gives a password /api/org accepts',
      async () => {
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        expect(unit()?.workloadStatus).toMatchObject({ status: 'active' });
        const record = await sim.runAction('grafana/0', 'get-admin-password');
        expect(record, record.message).toMatchObject({ status: 'completed' });
        password = String(record.results['admin-password']);
        expect(password).toMatch(/^[A-Za-z0-9]{12}$/);
        expect(record.results.url).toBe(`http://grafana.${sim.state.name}.svc.cluster.local:3000`);
        await waitUntil('grafana answering /api/health', async () =>
          (await api(address(), '/api/health')).status === 200 ? true : undefined,
        );
        expect(await api(address(), '/api/org', admin())).toMatchObject({
          status: 200,
          body: { name: 'Main Org.' },
        });
        expect(
          (await api(address(), '/api/org', { user: 'admin', password: 'wrong' })).status,
        ).toBe(401);
        // The stand-in saw the settings as Grafana reads them: the port from GF_SERVER_HTTP_PORT.
        const standin = (await api(address(), '/api/standin', admin())).body as {
          settings: { server: { http_port: string } };
          database: { type: string; path: string };
        };
        expect(standin.settings.server.http_port).toBe('3000');
        expect(standin.database).toMatchObject({
          type: 'sqlite3',
          path: '/var/lib/grafana/grafana.db',
        });
      },
      STEP_MS,
    );

    test(
      "a datasource provider is provisioned, and reads our answer through grafana-k8s's library",
      async () => {
        const { datasource } = packProviders(join(work, 'dist'));
        await sim.deploy(datasource, { app: 'prometheus' });
        await sim.integrate('grafana:grafana-source', 'prometheus:grafana-source');
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        const name = `juju_${sim.state.name}_${sim.state.uuid}_prometheus_0`;
        const ds = await waitUntil('the datasource provisioned', async () =>
          (await datasources()).find((d) => d.name === name),
        );
        expect(ds).toMatchObject({
          type: 'prometheus',
          jsonData: { httpMethod: 'GET', timeout: 300 },
        });
        expect(ds.url).toMatch(/^http:\/\/.+:9090$/);
        const record = await sim.runAction('prometheus/0', 'show-answer');
        expect(record, record.message).toMatchObject({ status: 'completed' });
        const answer = JSON.parse(String(record.results.answer));
        log(`what ${SOURCE_LIB} read of our answer: ${JSON.stringify(answer)}`);
        log(`the bags: ${String(record.results.bags)}`);
        expect(answer).toEqual({
          [`juju_${sim.state.name}_${sim.state.uuid}_grafana`]: {
            datasource_uids: { 'prometheus/0': name },
            external_url: `http://grafana.${sim.state.name}.svc.cluster.local:3000`,
          },
        });
      },
      STEP_MS,
    );

    test(
      'a dashboard provider → the dashboard is provisioned, and the library hears no error',
      async () => {
        const { dashboard } = packProviders(join(work, 'dist'));
        await sim.deploy(dashboard, { app: 'node-exporter' });
        await sim.integrate('grafana:grafana-dashboard', 'node-exporter:grafana-dashboard');
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        const found = await waitUntil('the dashboard provisioned', async () => {
          const list = (await api(address(), '/api/search', admin())).body as {
            title: string;
            uid: string;
          }[];
          return list.find((d) => d.title === 'Node overview — test');
        });
        expect(found.uid).toMatch(/^[0-9a-f]{40}$/);
        const record = await sim.runAction('node-exporter/0', 'show-status');
        log(
          `${DASHBOARD_LIB}: templates ${String(record.results.templates)}, statuses ${String(record.results.statuses)}`,
        );
        expect(JSON.parse(String(record.results.templates))).toEqual(['file:node-overview']);
        expect(JSON.parse(String(record.results.statuses))).toEqual([]);
        expect(unit()?.workloadStatus).toMatchObject({ status: 'active' });
      },
      STEP_MS,
    );

    test(
      "ingress: traefik's library reads our request, and the URL it grants is Grafana's root URL",
      async () => {
        const { ingress } = packProviders(join(work, 'dist'));
        await sim.deploy(ingress, { app: 'ingress-provider' });
        await sim.integrate('grafana:ingress', 'ingress-provider:ingress');
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        const model = sim.state.name;
        const record = await sim.runAction('ingress-provider/0', 'show-request');
        expect(record, record.message).toMatchObject({ status: 'completed' });
        const bags = JSON.parse(String(record.results.bags));
        log(`the bags ${INGRESS_LIB} read: ${JSON.stringify(bags)}`);
        // IngressPerAppRequirer(port, strip_prefix=False), with the port open: defaults left out.
        expect(bags.app).toEqual({
          model: JSON.stringify(model),
          name: '"grafana"',
          port: '3000',
          is_port_open: 'true',
        });
        expect(bags.units['grafana/0']).toMatchObject({
          host: JSON.stringify(`grafana-0.grafana-endpoints.${model}.svc.cluster.local`),
          ip: JSON.stringify(address()),
        });
        expect(JSON.parse(String(record.results.provided))).toMatchObject({
          name: 'grafana',
          strip_prefix: false,
        });
        const url = String(record.results.published);
        expect(url).toBe(`http://ingress.example/${model}-grafana`);
        // Through @charm-ts/relations' IngressRequirer: its `ready` reached the charm, the URL is
        // in the library's state, and Grafana restarted on it, serving from the sub-path.
        expect(sim.debugLog({ include: 'grafana/0' })).toContain(`ingress ready at ${url}`);
        expect(libraryState('ingress-requirer[ingress]')).toEqual({
          currentUrl: url,
          problem: null,
        });
        const server = await waitUntil('grafana restarted on the ingress URL', async () => {
          const s = await serverSettings().catch(() => undefined);
          return s?.root_url === `${url}/` ? s : undefined;
        });
        expect(server.serve_from_sub_path).toBe('true');
        const password = await sim.runAction('grafana/0', 'get-admin-password');
        expect(password.results.url).toBe(url);
      },
      STEP_MS,
    );

    test(
      "ingress removed: the library's revoked event, and Grafana back on the service's URL",
      async () => {
        await sim.removeRelation('grafana:ingress', 'ingress-provider:ingress');
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        expect(sim.debugLog({ include: 'grafana/0' })).toContain('ingress revoked');
        expect(libraryState('ingress-requirer[ingress]')).toEqual({
          currentUrl: null,
          problem: null,
        });
        const service = `http://grafana.${sim.state.name}.svc.cluster.local:3000/`;
        await waitUntil('grafana restarted on the service URL', async () =>
          (await serverSettings().catch(() => undefined))?.root_url === service ? true : undefined,
        );
      },
      STEP_MS,
    );

    test(
      'an event that changes nothing restarts nothing',
      async () => {
        const pebble = new PebbleClient({
          socketPath: join(
            stateDir,
            'units',
            'grafana-0',
            'containers',
            'grafana',
            'pebble.socket',
          ),
        });
        try {
          // Since when grafana has been in its state: a restart moves it.
          const since = async () => {
            const [service] = await pebble.listServices({ names: ['grafana'] });
            expect(service?.current).toBe('active');
            return service?.currentSince?.toISOString();
          };
          const before = await since();
          await sim.updateStatus('grafana');
          await sim.config('grafana', ['allow-embedding=false']);
          expect(sim.takeProblems()).toEqual([]);
          expect(await since()).toBe(before);
          await sim.config('grafana', ['allow-embedding=true']);
          expect(await since()).not.toBe(before);
        } finally {
          await pebble.close();
        }
      },
      STEP_MS,
    );

    test(
      'breaking the relation deletes its datasource from Grafana',
      async () => {
        await sim.removeRelation('grafana:grafana-source', 'prometheus:grafana-source');
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        await waitUntil('the datasource deleted', async () =>
          (await datasources()).length === 0 ? true : undefined,
        );
        const standin = (await api(address(), '/api/standin', admin())).body as {
          provisioning: string[];
        };
        expect(standin.provisioning.some((l) => l.startsWith('deleted datasource juju_'))).toBe(
          true,
        );
      },
      STEP_MS,
    );

    test(
      "scale to 2 without pgsql → blocked with today's text",
      async () => {
        await sim.scale('grafana', 2);
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        for (const n of [0, 1]) {
          expect(unit(n)?.workloadStatus).toMatchObject({
            status: 'blocked',
            message: 'Scale > 1 requires pgsql relation.',
          });
        }
      },
      STEP_MS,
    );

    test(
      'relate pgsql → both units use the same PostgreSQL database and are active',
      async () => {
        const { postgresql } = packProviders(join(work, 'dist'));
        await sim.deploy(postgresql, { app: 'postgresql' });
        const id = await sim.integrate('grafana:pgsql', 'postgresql:database');
        expect(sim.takeProblems(), sim.debugLog({ lines: 60 })).toEqual([]);
        const pg = sim.state.units['postgresql/0']?.address;
        const name = `grafana-grafana-${sim.state.uuid}`;
        // Through @charm-ts/relations' DatabaseRequirer: its databaseCreated reached the charm on
        // both units, and each library keeps what it saw of the answer in its own state.
        for (const n of [0, 1]) {
          expect(sim.debugLog({ include: `grafana/${n}` })).toContain(
            `database created on pgsql:${id}`,
          );
          const seen = libraryState('database-requirer[pgsql]', n).seen[String(id)];
          expect(seen.keys).toContain('secret-user');
        }
        interface StandIn {
          database: { type: string; host: string; name: string };
          servers: string[];
        }
        for (const n of [0, 1]) {
          expect(unit(n)?.workloadStatus, `grafana/${n}`).toMatchObject({ status: 'active' });
          // The admin password the leader made works on both: whichever started first created it.
          const standin = await waitUntil(
            `grafana/${n} on PostgreSQL with both units`,
            async () => {
              const { status, body } = await api(address(n), '/api/standin', admin());
              const s = body as StandIn;
              return status === 200 && s.servers?.length === 2 ? s : undefined;
            },
          );
          expect(standin.database).toMatchObject({ type: 'postgres', host: `${pg}:5432`, name });
          // Each unit registered itself in the shared database: both see both.
          expect(standin.servers).toEqual(['grafana-0', 'grafana-1']);
        }
        log(`both units on PostgreSQL ${pg}:5432/${name}`);
        // The relation's dashboard is in the shared database, seen from the new unit too.
        const titles = (
          (await api(address(1), '/api/search', admin())).body as { title: string }[]
        ).map((d) => d.title);
        expect(titles).toContain('Node overview — test');
      },
      STEP_MS,
    );
  },
);
