// hello-kubecon end to end: the packed charm in charm-sim pods with a real Pebble and the real
// gosherve v0.3.7, a fixture server (on the pods' bridge) for the redirect map and the sites,
// and a Python ops provider charm using traefik's own ingress library. One model, shared by
// the tests, in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PebbleClient } from '@charm-ts/pebble';
import { waitForPort } from '@charm-ts/pebble/testing';
import { hookToolBundle, Simulator } from '@charm-ts/sim';
import { craftZip } from '@charm-ts/zip/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../test/fixture-server.ts';
import {
  GOSHERVE_PATH,
  gosherve,
  INGRESS_LIB,
  missingRequirement,
  packHelloKubecon,
  packIngressProvider,
} from './support.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`hello-kubecon e2e cannot run: ${missing}`);

/** The page site-url serves, as the original's default (https://jnsgr.uk/demo-site) did. */
const PAGE = '<!doctype html>\n<title>Hello, KubeCon!</title>\n<h1>Hello, KubeCon!</h1>\n';
const SITE = craftZip([
  { name: 'test-site-master/index.html', data: '<h1>Hello, KubeCon! (zip)</h1>\n' },
  { name: 'test-site-master/css/site.css', data: 'h1 { color: #e95420; }\n' },
  { name: 'test-site-master/about/index.html', data: '<p>about</p>\n' },
]);
const ROUTES =
  'kubecon https://events.linuxfoundation.org/kubecon/\ngithub https://github.com/jnsgruk\n';

const found = missing ? undefined : gosherve();
const WORKLOAD = found ? `${found.version} (${GOSHERVE_PATH} -> ${found.target})` : 'gosherve';
const log = (line: string) => process.stdout.write(`[hello-kubecon e2e] ${line}\n`);

/** A port on `host` that nothing listens on: bound, then released. */
async function closedPort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(missing)(
  `hello-kubecon in charm-sim with the real ${WORKLOAD}${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'hk-e2e-'));
    const stateDir = join(work, 'state');
    const unitDir = join(stateDir, 'units', 'hello-kubecon-0');
    let sim: Simulator;
    let server: FixtureServer;
    let charm: string;
    let base: string;

    const unit = () => sim.state.units['hello-kubecon/0'];
    // Redirects are read as they come, never followed: the aliases point at the internet.
    // Pebble calls a service started after a second, not once it listens (after deploy, after
    // a replan or a refresh restarts it): wait for the port first.
    const get = async (path: string) => {
      const address = unit()?.address ?? 'no address';
      await waitForPort(address, 8080, { what: `gosherve to listen on ${address}:8080` });
      return fetch(`http://${address}:8080${path}`, { redirect: 'manual' });
    };
    const page = async (path: string) => (await get(path)).text();

    beforeAll(async () => {
      try {
        hookToolBundle();
      } catch {
        execFileSync('pnpm', ['--filter', '@charm-ts/sim', 'build'], { stdio: 'inherit' });
      }
      const dist = join(work, 'dist');
      charm = await packHelloKubecon(dist);
      const provider = packIngressProvider(dist);
      sim = Simulator.open({ stateDir, hookTimeoutMs: 60_000 });
      // The provider goes first: deploying creates the pods' bridge, and the fixture server
      // listens on the bridge's address (<subnet>.1), the host as the pods reach it.
      await sim.deploy(provider, { app: 'ingress-provider' });
      server = await startFixtureServer(`${sim.state.subnet}.1`);
      base = server.url;
      server.routes.set('/routes', ROUTES);
      server.routes.set('/demo-site', { status: 200, body: PAGE, type: 'text/html' });
      server.routes.set('/site.zip', SITE);
      server.routes.set(
        '/corrupt.zip',
        Buffer.concat([SITE.subarray(0, 60), Buffer.alloc(20), SITE.subarray(80)]),
      );
      server.routes.set('/logo.png', {
        status: 200,
        body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        type: 'image/png',
      });
      log(`workload: the real ${WORKLOAD}`);
      await sim.deploy(charm, {
        config: [`redirect-map=${base}/routes`, `site-url=${base}/demo-site`],
      });
    });

    afterAll(async () => {
      await sim?.destroy();
      await server?.close();
      rmSync(work, { recursive: true, force: true });
    });

    test('install fetches site-url, an HTML page, and gosherve serves it', async () => {
      expect(sim.takeProblems(), sim.debugLog({ lines: 30 })).toEqual([]);
      expect(unit()?.workloadStatus).toMatchObject({ status: 'active', message: '' });
      expect(server.requests).toContain('/demo-site');
      expect(server.requests.some((r) => r.startsWith('/routes?cachebust='))).toBe(true);
      const res = await get('/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toBe(PAGE);
    });

    test('an alias answers 301 to its URL from the redirect map; an unknown path 404', async () => {
      const res = await get('/kubecon');
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('https://events.linuxfoundation.org/kubecon/');
      const gone = await get('/nope');
      expect(gone.status).toBe(404);
      expect(await gone.text()).toBe('Not found\n');
    });

    test('a new alias is picked up: gosherve refetches the map on a miss', async () => {
      server.routes.set('/routes', `${ROUTES}charm-ts https://example.com/charm-ts\n`);
      const res = await get('/charm-ts');
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('https://example.com/charm-ts');
    });

    test('pull-site with a zip archive: the whole site is served', async () => {
      await sim.config('hello-kubecon', [`site-url=${base}/site.zip`]);
      const record = await sim.runAction('hello-kubecon/0', 'pull-site');
      expect(record, record.message).toMatchObject({ status: 'completed' });
      expect(record.results).toMatchObject({ result: 'site pulled', kind: 'zip', files: '3' });
      expect(await page('/')).toBe('<h1>Hello, KubeCon! (zip)</h1>\n');
      expect(await page('/css/site.css')).toBe('h1 { color: #e95420; }\n');
      expect(await page('/about/')).toBe('<p>about</p>\n');
      expect(unit()?.workloadStatus).toMatchObject({ status: 'active', message: '' });
    });

    test('gosherve is restarted only when its plan changes', async () => {
      const pebble = new PebbleClient({
        socketPath: join(unitDir, 'containers', 'gosherve', 'pebble.socket'),
      });
      try {
        // Service changes only: checks run as perform-check/recover-check changes of their own.
        // Pebble lists changes in Go map order, which differs between two calls: sort by id.
        const changes = async () =>
          (await pebble.listChanges({ select: 'all' }))
            .sort((a, b) => Number(a.id) - Number(b.id))
            .map((c) => c.kind)
            .filter((kind) => !kind.endsWith('-check'));
        const before = await changes();
        await sim.updateStatus('hello-kubecon');
        // config-changed runs, but nothing in the layer changed.
        await sim.config('hello-kubecon', [`site-url=${base}/site.zip?v=2`]);
        expect(await changes()).toEqual(before);
        server.routes.set('/routes2', 'moved https://example.com/moved\n');
        await sim.config('hello-kubecon', [`redirect-map=${base}/routes2`]);
        expect((await changes()).slice(before.length)).toEqual(['replan']);
        const res = await get('/moved');
        expect(res.status).toBe(301);
        expect(res.headers.get('location')).toBe('https://example.com/moved');
      } finally {
        await pebble.close();
      }
    });

    test.each([
      ['/corrupt.zip', {}, /the archive is corrupt: /],
      ['/logo.png', {}, /answered image\/png: site-url must point at a zip archive/],
    ])('pull-site of %s fails clearly and leaves the site in place', async (path, params, why) => {
      await sim.config('hello-kubecon', [`site-url=${base}${path}`]);
      const record = await sim.runAction('hello-kubecon/0', 'pull-site', params);
      expect(record.status).toBe('failed');
      expect(record.message).toMatch(why);
      expect(record.message).toMatch(/\(the current site is unchanged\)$/);
      expect(await page('/')).toBe('<h1>Hello, KubeCon! (zip)</h1>\n');
    });

    test("ingress v2: traefik's library decodes our bags, and we show the URL it publishes", async () => {
      const id = await sim.integrate('hello-kubecon:ingress', 'ingress-provider:ingress');
      expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
      const model = sim.state.name;
      const address = unit()?.address;
      const host = `hello-kubecon-0.hello-kubecon-endpoints.${model}.svc.cluster.local`;
      const record = await sim.runAction('ingress-provider/0', 'show-request');
      expect(record, record.message).toMatchObject({ status: 'completed' });
      const bags = JSON.parse(String(record.results.bags));
      const decoded = JSON.parse(String(record.results.decoded));
      const provided = JSON.parse(String(record.results.provided));
      log(`the bags ${INGRESS_LIB} read: ${JSON.stringify(bags)}`);
      log(`what it decoded: ${JSON.stringify(decoded)}`);
      log(`its data_provided event: ${JSON.stringify(provided)}`);
      // The bags as the library read them: defaults left out, JSON as json.dumps writes it.
      expect(bags.app).toEqual({
        model: JSON.stringify(model),
        name: '"hello-kubecon"',
        port: '8080',
        is_port_open: 'true',
        'strip-prefix': 'true',
      });
      expect(bags.units['hello-kubecon/0']).toMatchObject({
        host: JSON.stringify(host),
        ip: JSON.stringify(address),
      });
      expect(decoded).toEqual({
        app: {
          model,
          name: 'hello-kubecon',
          port: 8080,
          is_port_open: true,
          healthcheck_params: null,
          'strip-prefix': true,
          'redirect-https': false,
          scheme: 'http',
        },
        units: [{ host, ip: address }],
      });
      expect(provided).toEqual({
        name: 'hello-kubecon',
        model,
        hosts: [{ host, ip: address }],
        strip_prefix: true,
        redirect_https: false,
      });
      const url = String(record.results.published);
      expect(url).toBe(`http://ingress.example/${model}-hello-kubecon`);
      expect(
        JSON.parse(sim.state.relations[String(id)]?.appData['ingress-provider']?.ingress ?? '{}'),
      ).toEqual({ url });
      expect(unit()?.workloadStatus).toMatchObject({
        status: 'active',
        message: `ingress at ${url}`,
      });
      // Through @charm-ts/relations' IngressRequirer: its `ready` event reached the charm's
      // observer, and the URL is in the library's own stored state, under its namespace.
      expect(sim.debugLog({ include: 'hello-kubecon/0' })).toContain(`ingress ready at ${url}`);
      const charmState = JSON.parse(unit()?.state['charm-ts'] ?? '{}');
      expect(charmState.stored['ingress-requirer[ingress]']).toEqual({
        currentUrl: url,
        problem: null,
      });
    });

    test("the relation removed: the library's revoked event, and no URL in the status", async () => {
      await sim.removeRelation('hello-kubecon:ingress', 'ingress-provider:ingress');
      expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
      expect(sim.debugLog({ include: 'hello-kubecon/0' })).toContain('ingress revoked');
      expect(unit()?.workloadStatus).toMatchObject({ status: 'active', message: '' });
      const charmState = JSON.parse(unit()?.state['charm-ts'] ?? '{}');
      expect(charmState.stored['ingress-requirer[ingress]']).toEqual({
        currentUrl: null,
        problem: null,
      });
    });

    test('status follows the workload: gosherve not running is not active', async () => {
      const dead = `http://${sim.state.subnet}.1:${await closedPort(`${sim.state.subnet}.1`)}/routes`;
      await sim.config('hello-kubecon', [`redirect-map=${dead}`]);
      expect(sim.takeProblems(), 'a workload that cannot start fails no hook').toEqual([]);
      expect(unit()?.workloadStatus.status).toBe('waiting');
      expect(unit()?.workloadStatus.message).toMatch(
        /^gosherve is not running \(\w+\): check that redirect-map answers/,
      );
      await sim.config('hello-kubecon', [`redirect-map=${base}/routes`]);
      expect(unit()?.workloadStatus.status).toBe('active');
      expect((await get('/kubecon')).status).toBe(301);
    });

    test('refreshed from the original charm, the unit serves /srv/index.html until a site is pulled', async () => {
      // The webroot storage as the original charm left it: its one page at the top.
      const storage = join(unitDir, 'storage', 'webroot');
      rmSync(join(storage, 'site'), { force: true });
      rmSync(join(storage, 'releases'), { recursive: true, force: true });
      const ORIGINAL = '<h1>the page the original charm fetched</h1>\n';
      writeFileSync(join(storage, 'index.html'), ORIGINAL);
      const requests = server.requests.length;
      await sim.refresh('hello-kubecon', charm);
      expect(sim.takeProblems(), sim.debugLog({ lines: 30 })).toEqual([]);
      expect(await page('/')).toBe(ORIGINAL);
      expect(unit()?.workloadStatus.message).toContain(
        "serving the original charm's index.html: run pull-site for site-url",
      );
      expect(server.requests.slice(requests).filter((r) => !r.startsWith('/routes'))).toEqual([]);
      await sim.config('hello-kubecon', [`site-url=${base}/demo-site`]);
      expect(await page('/')).toBe(ORIGINAL);
      const record = await sim.runAction('hello-kubecon/0', 'pull-site');
      expect(record, record.message).toMatchObject({ status: 'completed' });
      expect(record.results).toMatchObject({ kind: 'page', files: '1' });
      expect(await page('/')).toBe(PAGE);
    });
  },
);
