// The gunicorn charm end to end: the packed charm in charm-sim pods with a real Pebble, real
// gunicorn 27 serving a WSGI app written for the test, the real statsd_exporter v0.31.0; a
// Python ops provider charm running Debian's PostgreSQL 15 behind data_interfaces'
// DatabaseProvides (answering through a Juju secret), and a Python consumer charm with
// prometheus_scrape's MetricsEndpointConsumer. One model, shared by the tests, in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PebbleClient } from '@charm-ts/pebble';
import { databaseRequirerAppBag, databaseRequirerUnitBag } from '@charm-ts/relations';
import { hookToolBundle, Simulator } from '@charm-ts/sim';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STARTUP_FAILED } from '../src/workload.ts';
import {
  APP_DIR,
  DATABASE_LIB,
  fetchUntil,
  GUNICORN_VENV,
  missingRequirement,
  packGunicorn,
  packPostgresqlProvider,
  packPrometheusConsumer,
  SCRAPE_LIB,
  workloads,
} from './support.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`gunicorn e2e cannot run: ${missing}`);

const found = missing ? {} : workloads();
const WORKLOAD = `${found.gunicorn ?? 'gunicorn'}, ${found.exporter ?? 'statsd_exporter'}, ${found.postgres ?? 'PostgreSQL'}`;
const log = (line: string) => process.stdout.write(`[gunicorn e2e] ${line}\n`);
const APP = 'gunicorn-k8s';
const ENVIRONMENT = 'DB_URI: {{pg.db_uri}}\nDB_HOST: {{pg.host}}\nAPP_NAME: gunicorn-e2e';
const STARTUP = `${GUNICORN_VENV}/bin/gunicorn --chdir ${APP_DIR} app:app`;

describe.skipIf(missing)(
  `gunicorn in charm-sim with ${WORKLOAD}${missing ? ` (skipped: ${missing})` : ''}`,
  // A step runs a dozen hooks (a new pod, a relation on both sides): on 2 busy cores, minutes.
  { timeout: 180_000 },
  () => {
    const work = mkdtempSync(join(tmpdir(), 'gunicorn-e2e-'));
    const stateDir = join(work, 'state');
    const started = Date.now();
    let sim: Simulator;
    let consumer: string;
    /** The database password, once the provider made it (for the leak checks). */
    let password = '';

    const unit = (n = 0) => sim.state.units[`${APP}/${n}`];
    const url = (n = 0, path = '/') => `http://${unit(n)?.address}:8080${path}`;
    const pebble = (n = 0) =>
      new PebbleClient({
        socketPath: join(
          stateDir,
          'units',
          `${APP}-${n}`,
          'containers',
          'gunicorn',
          'pebble.socket',
        ),
      });
    const pgAddress = () => sim.state.units['postgresql/0']?.address;

    beforeAll(async () => {
      try {
        hookToolBundle();
      } catch {
        execFileSync('pnpm', ['--filter', '@charm-ts/sim', 'build'], { stdio: 'inherit' });
      }
      const dist = join(work, 'dist');
      const charm = await packGunicorn(dist);
      const provider = packPostgresqlProvider(dist);
      consumer = packPrometheusConsumer(dist);
      sim = Simulator.open({ stateDir, hookTimeoutMs: 120_000 });
      log(`workloads: ${WORKLOAD}`);
      await sim.deploy(provider, { app: 'postgresql' });
      expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
      await sim.deploy(charm, {
        config: [`environment=${ENVIRONMENT}`, `startup_command=${STARTUP}`],
      });
    });

    afterAll(async () => {
      await sim?.destroy();
      rmSync(work, { recursive: true, force: true });
      log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    test("a template that needs pg blocks with the original's text", () => {
      expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
      expect(sim.state.units['postgresql/0']?.workloadStatus.message).toMatch(/^PostgreSQL 15\./);
      expect(unit()?.workloadStatus).toMatchObject({
        status: 'blocked',
        message: 'Waiting for pg relation(s)',
      });
    });

    test('integrated: active, and the app shows the database host and a successful SELECT 1', async () => {
      const id = await sim.integrate(`${APP}:pg`, 'postgresql:database');
      expect(sim.takeProblems(), sim.debugLog({ lines: 60 })).toEqual([]);
      expect(unit()?.workloadStatus).toMatchObject({ status: 'active', message: '' });
      // Through @charm-ts/relations' DatabaseRequirer: its databaseCreated event reached the
      // charm's observer, and the library keeps what it saw (no credential) in its own state.
      expect(sim.debugLog({ include: `${APP}/0` })).toContain(`database created on pg:${id}`);
      const seen = JSON.parse(unit()?.state['charm-ts'] ?? '{}').stored['database-requirer[pg]'];
      expect(seen.seen[String(id)].keys).toContain('secret-user');
      const page = await fetchUntil(
        url(),
        (s, b) => s === 200 && b.includes('SELECT 1'),
        'the app page',
      );
      expect(page).toMatch(/^One of the nice things about the new operator framework/);
      expect(page).toContain(`DB_HOST: ${pgAddress()}\n`);
      expect(page).toContain('APP_NAME: gunicorn-e2e\n');
      expect(page).toContain('SELECT 1: 1\n');
      const uri = new URL(/^DB_URI: (.*)$/m.exec(page)?.[1] ?? '');
      expect(`${uri.protocol}//${uri.host}${uri.pathname}`).toBe(
        `postgresql://${pgAddress()}:5432/${APP}`,
      );
      password = decodeURIComponent(uri.password);
      expect(password.length).toBeGreaterThan(8);
    });

    test("data_interfaces' DatabaseProvides read our request and answered through a secret", async () => {
      const record = await sim.runAction('postgresql/0', 'show-request');
      expect(record, record.message).toMatchObject({ status: 'completed' });
      const request = JSON.parse(String(record.results.request));
      const seen = JSON.parse(String(record.results.seen));
      const answer = JSON.parse(String(record.results.answer));
      const fields = JSON.parse(String(record.results['secret-fields']));
      log(`the requirer bags ${DATABASE_LIB} read: ${JSON.stringify(request)}`);
      log(`its database_requested event: ${JSON.stringify(seen)}`);
      log(`what it answered: ${JSON.stringify(answer)}; secret fields ${JSON.stringify(fields)}`);
      expect(request.app).toEqual(databaseRequirerAppBag({ database: APP }));
      expect(request.units[`${APP}/0`]).toMatchObject(databaseRequirerUnitBag({ database: APP }));
      expect(seen).toEqual({
        database: APP,
        extra_user_roles: null,
        external_node_connectivity: false,
      });
      expect(answer).toMatchObject({
        database: APP,
        endpoints: `${pgAddress()}:5432`,
        version: expect.stringMatching(/^15\./),
        'secret-user': expect.stringMatching(/^secret:/),
      });
      expect(answer).not.toHaveProperty('password');
      expect(fields).toEqual({ 'secret-user': ['password', 'username'] });
    });

    test("requests show up as gunicorn_response_code on the exporter's /metrics", async () => {
      for (let i = 0; i < 5; i++) expect((await fetch(url())).status).toBe(200);
      // statsd is UDP: the exporter counts them as they arrive.
      const count = (text: string) =>
        Number(/^gunicorn_response_code\{status="200"\} (\d+)/m.exec(text)?.[1] ?? 0);
      const metrics = await fetchUntil(
        `http://${unit()?.address}:9102/metrics`,
        (s, b) => s === 200 && count(b) >= 5,
        'gunicorn_response_code{status="200"} counting our 5 requests on the exporter',
      );
      expect(count(metrics)).toBeGreaterThanOrEqual(5);
      expect(metrics).toMatch(/^gunicorn_requests(_total)? \d+/m);
      expect(metrics).toMatch(/^gunicorn_request_duration(_sum)?( \d|\{)/m);
    });

    test("prometheus_scrape's consumer scrapes the exporter's real port", async () => {
      await sim.deploy(consumer, { app: 'prometheus' });
      await sim.integrate(`${APP}:metrics-endpoint`, 'prometheus:metrics-endpoint');
      expect(sim.takeProblems(), sim.debugLog({ lines: 60 })).toEqual([]);
      const record = await sim.runAction('prometheus/0', 'show-jobs');
      expect(record, record.message).toMatchObject({ status: 'completed' });
      const jobs = JSON.parse(String(record.results.jobs));
      const bags = JSON.parse(String(record.results.bags));
      log(`the provider bags ${SCRAPE_LIB} read: ${JSON.stringify(bags)}`);
      log(`the jobs it built: ${JSON.stringify(jobs)}`);
      expect(jobs).toHaveLength(1);
      const [job] = jobs;
      expect(job.metrics_path).toBe('/metrics');
      expect(job.static_configs).toEqual([
        {
          targets: [`${unit()?.address}:9102`],
          labels: expect.objectContaining({ juju_application: APP, juju_unit: `${APP}/0` }),
        },
      ]);
      const scraped = await fetchUntil(
        `http://${job.static_configs[0].targets[0]}${job.metrics_path}`,
        (s, b) => s === 200 && b.includes('gunicorn_response_code'),
        'a scrape of the job the library built',
      );
      expect(scraped).toContain('gunicorn_response_code{status="200"}');
    });

    test('workers=3 restarts gunicorn with 3 workers; the exporter keeps running', async () => {
      const client = pebble();
      try {
        const since = async () =>
          Object.fromEntries(
            (await client.listServices()).map((s) => [s.name, s.currentSince?.getTime()]),
          );
        const before = await since();
        await sim.config(APP, ['workers=3']);
        expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
        const after = await since();
        expect(after['statsd-exporter']).toBe(before['statsd-exporter']);
        expect(after.gunicorn).toBeGreaterThan(before.gunicorn ?? 0);
        const page = await fetchUntil(
          url(),
          (s, b) => s === 200 && b.includes('workers: 3'),
          'three workers',
        );
        expect(page).toContain('SELECT 1: 1\n');
        expect(sim.debugLog({ include: `${APP}/0` })).toContain('workload: restarted gunicorn');
      } finally {
        await client.close();
      }
    });

    test("a startup command that fails at once blocks with the original's text", async () => {
      await sim.config(APP, ['startup_command=/srv/gunicorn/run']);
      expect(sim.takeProblems()).toEqual([]);
      expect(unit()?.workloadStatus).toMatchObject({ status: 'blocked', message: STARTUP_FAILED });
      await sim.config(APP, [`startup_command=${STARTUP}`]);
      expect(unit()?.workloadStatus).toMatchObject({ status: 'active', message: '' });
      await fetchUntil(url(), (s, b) => s === 200 && b.includes('SELECT 1: 1'), 'the app back');
    });

    test('show-environment-context lists the names, never a value', async () => {
      const record = await sim.runAction(`${APP}/0`, 'show-environment-context');
      expect(record, record.message).toMatchObject({ status: 'completed' });
      const names = JSON.parse(String(record.results['available-variables']));
      expect(names).toEqual(expect.arrayContaining(['pg.db_uri', 'pg.conn_str', 'pg.password']));
      expect(names).toEqual([...names].sort());
      expect(String(record.results['available-variables'])).not.toContain(String(pgAddress()));
    });

    test('removing the relation blocks again', async () => {
      await sim.removeRelation(`${APP}:pg`, 'postgresql:database');
      expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
      expect(unit()?.workloadStatus).toMatchObject({
        status: 'blocked',
        message: 'Waiting for pg relation(s)',
      });
    });

    test('scaled to 2 (integrated again), both units serve', async () => {
      await sim.integrate(`${APP}:pg`, 'postgresql:database');
      await sim.scale(APP, 2);
      expect(sim.takeProblems(), sim.debugLog({ lines: 60 })).toEqual([]);
      for (const n of [0, 1]) {
        expect(unit(n)?.workloadStatus, `${APP}/${n}`).toMatchObject({
          status: 'active',
          message: '',
        });
        const page = await fetchUntil(
          url(n),
          (s, b) => s === 200 && b.includes('SELECT 1: 1'),
          `${APP}/${n} serving`,
        );
        expect(page).toContain(`DB_HOST: ${pgAddress()}\n`);
      }
    });

    test('the password reached the workload only: no log line, status or action result has it', () => {
      expect(password).not.toBe('');
      const shown = JSON.stringify({
        log: sim.debugLog({ include: APP }),
        units: Object.values(sim.state.units).map((u) => [u.workloadStatus, u.agentStatus]),
        actions: sim.state.actions.filter((a) => a.unit.startsWith(APP)),
      });
      for (const form of [password, encodeURIComponent(password)]) {
        expect(shown.includes(form), 'the password is shown').toBe(false);
      }
    });
  },
);
