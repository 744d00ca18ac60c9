// hello-kubecon end to end: the packed charm in charm-sim pods with a real Pebble and gosherve
// (or its named stand-in, see support.ts), a fixture server for the redirect map and the site
// archive, and an ingress provider test charm. One model, shared by the tests, in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PebbleClient } from '@charm-ts/pebble';
import { hookToolBundle, Simulator } from '@charm-ts/sim';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../test/fixture-server.ts';
import { zip } from '../test/zip-writer.ts';
import {
  CHARM_DIR,
  missingRequirement,
  pack,
  prepareGosherveImage,
  realGosherve,
  type Workload,
} from './support.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`hello-kubecon e2e cannot run: ${missing}`);

const SITE = zip([
  { name: 'test-site-master/index.html', data: '<h1>Hello, KubeCon!</h1>\n' },
  { name: 'test-site-master/css/site.css', data: 'h1 { color: #e95420; }\n' },
  { name: 'test-site-master/about/index.html', data: '<p>about</p>\n' },
]);
const ROUTES =
  'kubecon https://events.linuxfoundation.org/kubecon/\ngithub https://github.com/jnsgruk\n';

// The title says which gosherve runs: the real one when installed, else the stand-in.
const WORKLOAD = realGosherve() ? `gosherve (${realGosherve()})` : 'the gosherve STAND-IN';
const TITLE = `hello-kubecon in charm-sim with ${WORKLOAD}`;

describe.skipIf(missing)(`${TITLE}${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'hk-e2e-'));
  const stateDir = join(work, 'state');
  let sim: Simulator;
  let server: FixtureServer;
  let workload: Workload;
  let base: string;

  const unit = () => sim.state.units['hello-kubecon/0'];
  const get = (path: string) =>
    fetch(`http://${unit()?.address}:8080${path}`, { redirect: 'manual' });

  beforeAll(async () => {
    try {
      hookToolBundle();
    } catch {
      execFileSync('pnpm', ['--filter', '@charm-ts/sim', 'build'], { stdio: 'inherit' });
    }
    const [charm, provider] = await Promise.all([
      pack(CHARM_DIR, join(work, 'dist')),
      pack(join(CHARM_DIR, 'e2e', 'ingress-provider'), join(work, 'dist')),
    ]);
    sim = Simulator.open({ stateDir, hookTimeoutMs: 60_000 });
    // The provider goes first: deploying creates the pods' bridge, and the fixture server
    // listens on the bridge's address (<subnet>.1), the host as the pods reach it.
    await sim.deploy(provider, { app: 'ingress-provider' });
    server = await startFixtureServer(`${sim.state.subnet}.1`);
    base = server.url;
    server.routes.set('/routes', ROUTES);
    server.routes.set('/site.zip', SITE);
    server.routes.set(
      '/corrupt.zip',
      Buffer.concat([SITE.subarray(0, 60), Buffer.alloc(20), SITE.subarray(80)]),
    );
    // What the gosherve image would hold, in the container's writable layer before it starts.
    workload = await prepareGosherveImage(
      join(stateDir, 'units', 'hello-kubecon-0', 'layers', 'gosherve', 'upper'),
    );
    process.stdout.write(`[hello-kubecon e2e] workload: ${workload.label}\n`);
    await sim.deploy(charm, {
      config: [`redirect-map=${base}/routes`, `site-url=${base}/site.zip`],
    });
  });

  afterAll(async () => {
    await sim?.destroy();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('deploy: gosherve runs with the layer and serves the placeholder', async () => {
    expect(sim.takeProblems(), sim.debugLog({ lines: 30 })).toEqual([]);
    expect(unit()?.workloadStatus).toMatchObject({
      status: 'active',
      message: 'no site yet: run the pull-site action',
    });
    expect(server.requests.some((r) => r.startsWith('/routes?cachebust='))).toBe(true);
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('No site has been pulled yet');
  });

  test('pull-site: the site is served, with its files', async () => {
    const record = await sim.runAction('hello-kubecon/0', 'pull-site');
    expect(record).toMatchObject({ status: 'completed' });
    expect(record.results).toMatchObject({ result: 'site pulled', files: '3' });
    expect(await (await get('/')).text()).toBe('<h1>Hello, KubeCon!</h1>\n');
    expect(await (await get('/css/site.css')).text()).toBe('h1 { color: #e95420; }\n');
    expect(await (await get('/about/')).text()).toBe('<p>about</p>\n');
    expect(unit()?.workloadStatus).toMatchObject({ status: 'active', message: '' });
  });

  test('an alias answers 301 to its target; an unknown path 404', async () => {
    const res = await get('/kubecon');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('https://events.linuxfoundation.org/kubecon/');
    expect((await get('/nope')).status).toBe(404);
  });

  test('a new alias is picked up: gosherve refetches the map on a miss', async () => {
    server.routes.set('/routes', `${ROUTES}charm-ts https://example.com/charm-ts\n`);
    const res = await get('/charm-ts');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('https://example.com/charm-ts');
  });

  test('gosherve is restarted only when its plan changes', async () => {
    const pebble = new PebbleClient({
      socketPath: join(
        stateDir,
        'units',
        'hello-kubecon-0',
        'containers',
        'gosherve',
        'pebble.socket',
      ),
    });
    try {
      // Service changes only: checks run as perform-check/recover-check changes of their own.
      const changes = async () =>
        (await pebble.listChanges({ select: 'all' }))
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

  test('a corrupt archive fails the action and leaves the site in place', async () => {
    await sim.config('hello-kubecon', [`site-url=${base}/corrupt.zip`]);
    const record = await sim.runAction('hello-kubecon/0', 'pull-site');
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/the archive is corrupt: .*\(the current site is unchanged\)/);
    expect(await (await get('/')).text()).toBe('<h1>Hello, KubeCon!</h1>\n');
  });

  test('a URL that does not answer in time fails the action, site intact', async () => {
    server.routes.set('/slow.zip', 'hang');
    await sim.config('hello-kubecon', [`site-url=${base}/slow.zip`]);
    const record = await sim.runAction('hello-kubecon/0', 'pull-site', { timeout: 0.5 });
    expect(record.status).toBe('failed');
    expect(record.message).toContain('did not answer in full within 0.5 s');
    expect(await (await get('/')).text()).toBe('<h1>Hello, KubeCon!</h1>\n');
  });

  test('ingress v2: the request as traefik reads it, the URL back', async () => {
    const id = await sim.integrate('hello-kubecon:ingress', 'ingress-provider:ingress');
    // Neither charm observes relation-changed (see hello-kubecon.ts); update-status converges.
    await sim.updateStatus();
    expect(sim.takeProblems(), sim.debugLog({ lines: 40 })).toEqual([]);
    const rel = sim.state.relations[String(id)];
    expect(rel?.appData['hello-kubecon']).toEqual({
      model: JSON.stringify(sim.state.name),
      name: '"hello-kubecon"',
      port: '8080',
      'strip-prefix': 'true',
      'redirect-https': 'false',
      scheme: '"http"',
    });
    const address = unit()?.address;
    expect(rel?.unitData['hello-kubecon/0']).toEqual({
      host: expect.stringMatching(
        /^"hello-kubecon-0\.hello-kubecon-endpoints\..+\.svc\.cluster\.local"$/,
      ),
      ip: JSON.stringify(address),
    });
    const url = JSON.parse(rel?.appData['ingress-provider']?.ingress ?? '{}').url as string;
    expect(url).toMatch(/^http:\/\/ingress\.example\/.+-hello-kubecon$/);
    expect(sim.state.units['ingress-provider/0']?.workloadStatus).toMatchObject({
      status: 'active',
      message: expect.stringContaining(`@${address}]:8080 (prefix stripped)`),
    });
    expect(unit()?.workloadStatus.message).toContain(`ingress at ${url}`);
  });
});
