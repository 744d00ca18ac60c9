import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Context,
  container,
  relation,
  type State,
  state,
  status,
  storage,
} from '@charm-ts/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../test/fixture-server.ts';
import { zip } from '../test/zip-writer.ts';
import { HelloKubeconCharm } from './hello-kubecon.ts';
import { gosherveLayer } from './workload.ts';

let server: FixtureServer;
let root: string;
const ctx = new Context(HelloKubeconCharm);

beforeAll(async () => {
  server = await startFixtureServer();
  server.routes.set(
    '/site.zip',
    zip([
      { name: 'test-site-master/index.html', data: '<h1>Hello KubeCon</h1>' },
      { name: 'test-site-master/css/site.css', data: 'h1{}' },
    ]),
  );
  server.routes.set('/corrupt.zip', zip([{ name: 'index.html', data: 'x', crc: 7 }]));
  server.routes.set(
    '/escape.zip',
    zip([
      { name: 'index.html', data: 'x' },
      { name: '../../etc/cron.d/x', data: 'x' },
    ]),
  );
  server.routes.set(
    '/symlink.zip',
    zip([{ name: 'index.html', data: '/etc/shadow', mode: 0o120777 }]),
  );
  server.routes.set('/gone.zip', { status: 404 });
  // A name longer than the filesystem allows: the archive is fine, writing it fails.
  server.routes.set(
    '/long-name.zip',
    zip([
      { name: 'index.html', data: 'x' },
      { name: `${'x'.repeat(300)}.html`, data: 'x' },
    ]),
  );
  server.routes.set('/slow.zip', 'hang');
});
afterAll(() => server.close());
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hk-charm-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const gosherve = (connect = true) => container({ name: 'gosherve', canConnect: connect });
function base(spec: Partial<State> = {}): State {
  return state({
    leader: true,
    config: { 'redirect-map': `${server.url}/routes`, 'site-url': `${server.url}/site.zip` },
    containers: [gosherve()],
    storages: [storage({ name: 'webroot', location: root })],
    ...spec,
  });
}
const site = () => readFileSync(join(root, 'site', 'index.html'), 'utf8');

describe('reconcile', () => {
  it('writes the layer, starts gosherve, opens 8080 and serves a placeholder', async () => {
    const out = await ctx.run(ctx.on.configChanged(), base());
    const [c] = out.containers;
    expect(c?.layers.gosherve).toEqual(gosherveLayer(`${server.url}/routes`));
    expect(c?.serviceStatuses.gosherve).toBe('active');
    expect(c?.plan.checks['gosherve-ready']?.http?.url).toBe('http://localhost:8080/');
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 8080 }]);
    expect(site()).toContain('run the <code>pull-site</code> action');
    expect(out.unitStatus).toEqual(status.active('no site yet: run the pull-site action'));
  });

  it('changes nothing in Pebble when nothing changed', async () => {
    const first = await ctx.run(ctx.on.configChanged(), base());
    expect(ctx.jujuLog.map((l) => l.message)).toContain('gosherve layer: replanned');
    expect(ctx.hookToolCalls.map((c) => c.tool)).toContain('open-port');
    const again = await ctx.run(ctx.on.updateStatus(), { ...first, containers: first.containers });
    expect(ctx.jujuLog.map((l) => l.message).filter((m) => m.startsWith('gosherve layer'))).toEqual(
      [],
    );
    expect(again.containers[0]?.layers).toEqual(first.containers[0]?.layers);
    expect(ctx.hookToolCalls.map((c) => c.tool)).not.toContain('open-port');
  });

  it('restarts gosherve when redirect-map changes', async () => {
    const first = await ctx.run(ctx.on.configChanged(), base());
    const next = { ...first, config: { ...first.config, 'redirect-map': 'https://example.com/r' } };
    const out = await ctx.run(ctx.on.configChanged(), next);
    expect(ctx.jujuLog.map((l) => l.message)).toContain('gosherve layer: replanned');
    const env = out.containers[0]?.plan.services.gosherve?.environment;
    expect(env?.GOSHERVE_REDIRECT_MAP_URL).toBe('https://example.com/r');
  });

  it('applies the layer on pebble-ready', async () => {
    const out = await ctx.run(ctx.on.pebbleReady(gosherve()), base());
    expect(out.containers[0]?.serviceStatuses.gosherve).toBe('active');
  });

  it('waits for Pebble, with the original message', async () => {
    const out = await ctx.run(ctx.on.configChanged(), base({ containers: [gosherve(false)] }));
    expect(out.unitStatus).toEqual(status.waiting('waiting for Pebble in workload container'));
    expect(out.containers[0]?.layers).toEqual({});
  });

  it('waits for the storage', async () => {
    const out = await ctx.run(ctx.on.configChanged(), base({ storages: [] }));
    expect(out.unitStatus).toEqual(status.waiting('waiting for the webroot storage'));
  });

  it.each([
    ['site-url', 'not a url', 'site-url is not a URL'],
    ['redirect-map', 'file:///etc/passwd', 'redirect-map must be an http or https URL, not file'],
  ])('blocks on a bad %s and leaves the workload alone', async (key, value, message) => {
    const input = base();
    const out = await ctx.run(ctx.on.configChanged(), {
      ...input,
      config: { ...input.config, [key]: value },
    });
    expect(out.unitStatus.status).toBe('blocked');
    expect(out.unitStatus.message).toContain(message);
    expect(out.containers[0]?.layers).toEqual({});
  });
});

describe('pull-site', () => {
  async function pulled(): Promise<State> {
    const out = await ctx.run(ctx.on.configChanged(), base());
    await ctx.run(ctx.on.action('pull-site'), out);
    expect(ctx.action?.failure).toBeUndefined();
    return out;
  }

  it('downloads, unpacks atomically and reports the file count', async () => {
    const ready = await ctx.run(ctx.on.configChanged(), base());
    const out = await ctx.run(ctx.on.action('pull-site'), ready);
    expect(ctx.action?.failure).toBeUndefined();
    expect(ctx.action?.results).toMatchObject({
      result: 'site pulled',
      files: '2',
      url: `${server.url}/site.zip`,
    });
    expect(site()).toBe('<h1>Hello KubeCon</h1>');
    expect(readFileSync(join(root, 'site', 'css', 'site.css'), 'utf8')).toBe('h1{}');
    expect(readdirSync(join(root, 'releases'))).toEqual([ctx.action?.results.release]);
    expect(ctx.unitStatusHistory).toContainEqual(status.maintenance('Fetching web site'));
    expect(out.unitStatus).toEqual(status.active(''));
  });

  it.each([
    ['/gone.zip', {}, 'answered HTTP 404'],
    ['/slow.zip', { timeout: 0.05 }, 'did not answer in full within 0.05 s'],
    ['/corrupt.zip', {}, 'fails its CRC-32 check'],
    ['/escape.zip', {}, "escapes the site with '..'"],
    ['/symlink.zip', {}, 'is a symlink'],
    ['/long-name.zip', {}, 'cannot write the site into'],
  ])(
    'fails on %s with a clear message and keeps the current site',
    async (path, params, message) => {
      const ready = await pulled();
      const before = site();
      const input = { ...ready, config: { ...ready.config, 'site-url': `${server.url}${path}` } };
      const out = await ctx.run(ctx.on.action('pull-site', params), input);
      expect(ctx.action?.failure).toContain(message);
      expect(ctx.action?.failure).toContain('the current site is unchanged');
      expect(site()).toBe(before);
      expect(readdirSync(root).sort()).toEqual(['releases', 'site']);
      expect(out.unitStatus).toEqual(status.active(''));
    },
  );

  it('fails on a site-url that is not http(s), before any download', async () => {
    const ready = await ctx.run(ctx.on.configChanged(), base());
    const input = { ...ready, config: { ...ready.config, 'site-url': 'ftp://example.com/x.zip' } };
    const requests = server.requests.length;
    await ctx.run(ctx.on.action('pull-site'), input);
    expect(ctx.action?.failure).toContain('site-url must be an http or https URL');
    expect(server.requests.length).toBe(requests);
  });
});

describe('ingress', () => {
  const ingress = (remoteAppData = {}) =>
    relation({ endpoint: 'ingress', remoteApp: 'traefik', remoteAppData });

  it('publishes the v2 request: app data as leader, unit data always', async () => {
    const rel = ingress();
    const out = await ctx.run(ctx.on.relationJoined(rel), base({ relations: [rel] }));
    expect(ctx.hookToolCalls.filter((c) => c.tool === 'relation-set')).toHaveLength(2);
    const [r] = out.relations;
    expect(r?.localAppData).toEqual({
      model: '"test-model"',
      name: '"hello-kubecon"',
      port: '8080',
      'strip-prefix': 'true',
      'redirect-https': 'false',
      scheme: '"http"',
    });
    expect(r?.localUnitData).toEqual({
      host: '"hello-kubecon-0.hello-kubecon-endpoints.test-model.svc.cluster.local"',
      ip: '"192.0.2.0"',
    });
    const again = await ctx.run(ctx.on.relationChanged(rel), out);
    expect(ctx.hookToolCalls.map((c) => c.tool)).not.toContain('relation-set');
    expect(again.relations[0]).toEqual(r);
  });

  it('a non-leader writes only its unit data', async () => {
    const rel = ingress();
    const out = await ctx.run(
      ctx.on.relationJoined(rel),
      base({ leader: false, relations: [rel] }),
    );
    expect(out.relations[0]?.localAppData).toEqual({});
    expect(out.relations[0]?.localUnitData.host).toContain('hello-kubecon-0.');
  });

  it('reads the provider URL into the status', async () => {
    const rel = ingress({ ingress: '{"url": "http://gw.example/test-model-hello-kubecon"}' });
    const out = await ctx.run(ctx.on.relationChanged(rel), base({ relations: [rel] }));
    expect(out.unitStatus.message).toContain(
      'ingress at http://gw.example/test-model-hello-kubecon',
    );
  });

  it('says so when the provider data is unreadable', async () => {
    const rel = ingress({ ingress: 'http://not-json' });
    const out = await ctx.run(ctx.on.relationChanged(rel), base({ relations: [rel] }));
    expect(out.unitStatus.message).toContain("ingress data unreadable: 'ingress' is not JSON");
  });

  it('writes nothing on relation-broken', async () => {
    const rel = ingress();
    await ctx.run(ctx.on.relationBroken(rel), base({ relations: [rel] }));
    expect(ctx.hookToolCalls.map((c) => c.tool)).not.toContain('relation-set');
  });
});
