import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Context, status } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { charmFixtures, gosherve, PAGE } from '../test/charm-fixtures.ts';
import { HelloKubeconCharm } from './hello-kubecon.ts';
import { gosherveLayer } from './workload.ts';

const ctx = new Context(HelloKubeconCharm);
const fx = charmFixtures();
const messages = () => ctx.jujuLog.map((l) => l.message);
const tools = () => ctx.hookToolCalls.map((c) => c.tool);

describe('install: the site is fetched, as the original did', () => {
  it('installs an HTML page as index.html, then runs gosherve on 8080', async () => {
    const out = await ctx.run(ctx.on.install(), fx.base());
    expect(fx.site()).toBe(PAGE);
    expect(ctx.unitStatusHistory).toContainEqual(status.maintenance('Fetching web site'));
    expect(messages()).toContain(`fetched the site from ${fx.server().url}/demo-site (page)`);
    const [c] = out.containers;
    expect(c?.layers.gosherve).toEqual(gosherveLayer(`${fx.server().url}/routes`));
    expect(c?.serviceStatuses.gosherve).toBe('active');
    expect(c?.plan.checks['gosherve-ready']?.http?.url).toBe('http://localhost:8080/');
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 8080 }]);
    expect(out.unitStatus).toEqual(status.active(''));
  });

  it('installs a zip archive of a site', async () => {
    const input = fx.base();
    const config = { ...input.config, 'site-url': `${fx.server().url}/site.zip` };
    await ctx.run(ctx.on.install(), { ...input, config });
    expect(fx.site()).toBe('<h1>Hello KubeCon</h1>');
    expect(readFileSync(join(fx.root(), 'site', 'css', 'site.css'), 'utf8')).toBe('h1{}');
  });

  it.each([
    ['/gone', 'GET http://127.0.0.1:PORT/gone answered HTTP 404: check site-url'],
    [
      '/logo.png',
      'http://127.0.0.1:PORT/logo.png answered image/png: site-url must point at a zip archive of the site or at an HTML page',
    ],
    ['/corrupt.zip', 'the archive is corrupt'],
  ])(
    'a failed fetch (%s) leaves a placeholder and says how to retry; the hook succeeds',
    async (path, why) => {
      const input = fx.base();
      const config = { ...input.config, 'site-url': `${fx.server().url}${path}` };
      const out = await ctx.run(ctx.on.install(), { ...input, config });
      const port = new URL(fx.server().url).port;
      const message = out.unitStatus.message;
      expect(out.unitStatus.status).toBe('active');
      expect(message).toContain(`no site: ${why.replace('PORT', port)}`);
      expect(message).toMatch(/; run the pull-site action to retry$/);
      expect(fx.site()).toContain('run the <code>pull-site</code> action');
      expect(out.containers[0]?.serviceStatuses.gosherve).toBe('active');
      // Fixing site-url and running pull-site clears it.
      const fixed = {
        ...out,
        config: { ...out.config, 'site-url': `${fx.server().url}/demo-site` },
      };
      const after = await ctx.run(ctx.on.action('pull-site'), fixed);
      expect(after.unitStatus).toEqual(status.active(''));
      expect(fx.site()).toBe(PAGE);
    },
  );

  it('fetches once: a unit with a site keeps it whatever site-url says', async () => {
    const out = await ctx.run(ctx.on.install(), fx.base());
    const requests = fx.server().requests.length;
    const moved = { ...out, config: { ...out.config, 'site-url': `${fx.server().url}/site.zip` } };
    await ctx.run(ctx.on.configChanged(), moved);
    await ctx.run(ctx.on.upgradeCharm(), moved);
    expect(fx.server().requests.length).toBe(requests);
    expect(fx.site()).toBe(PAGE);
  });
});

describe('refresh from the original charm', () => {
  const ORIGINAL_PAGE = '<h1>the page the original charm fetched</h1>\n';

  it('keeps serving /srv/index.html until a site is pulled', async () => {
    // The storage as the original left it: its one page at the top, served from /srv.
    writeFileSync(join(fx.root(), 'index.html'), ORIGINAL_PAGE);
    const requests = fx.server().requests.length;
    const out = await ctx.run(ctx.on.upgradeCharm(), fx.base());
    expect(fx.site()).toBe(ORIGINAL_PAGE);
    expect(fx.server().requests.length).toBe(requests);
    expect(out.containers[0]?.serviceStatuses.gosherve).toBe('active');
    expect(out.unitStatus).toEqual(
      status.active("serving the original charm's index.html: run pull-site for site-url"),
    );
    expect(messages()).toContain(
      `serving ${fx.root()}/index.html, left by the original charm, until a site is pulled`,
    );
    const again = await ctx.run(ctx.on.configChanged(), out);
    expect(again.unitStatus).toEqual(out.unitStatus);
    expect(fx.site()).toBe(ORIGINAL_PAGE);

    const pulled = await ctx.run(ctx.on.action('pull-site'), again);
    expect(ctx.action?.failure).toBeUndefined();
    expect(fx.site()).toBe(PAGE);
    expect(pulled.unitStatus).toEqual(status.active(''));
    // The original's file is left where it was; only the site link moved.
    expect(readFileSync(join(fx.root(), 'index.html'), 'utf8')).toBe(ORIGINAL_PAGE);
    expect(readdirSync(join(fx.root(), 'releases'))).toEqual([ctx.action?.results.release]);
  });

  it('adopts a regular file only: a symlinked index.html is not followed', async () => {
    symlinkSync('/etc/hostname', join(fx.root(), 'index.html'));
    await ctx.run(ctx.on.upgradeCharm(), fx.base());
    expect(fx.site()).toBe(PAGE);
    expect(lstatSync(join(fx.root(), 'index.html')).isSymbolicLink()).toBe(true);
  });
});

describe('reconcile', () => {
  it('changes nothing in Pebble when nothing changed', async () => {
    const first = await ctx.run(ctx.on.install(), fx.base());
    expect(messages()).toContain('gosherve layer: replanned');
    expect(tools()).toContain('open-port');
    const again = await ctx.run(ctx.on.updateStatus(), first);
    expect(messages().filter((m) => m.startsWith('gosherve layer'))).toEqual([]);
    expect(again.containers[0]?.layers).toEqual(first.containers[0]?.layers);
    expect(tools()).not.toContain('open-port');
  });

  it('restarts gosherve when redirect-map changes', async () => {
    const first = await ctx.run(ctx.on.install(), fx.base());
    const next = { ...first, config: { ...first.config, 'redirect-map': 'https://example.com/r' } };
    const out = await ctx.run(ctx.on.configChanged(), next);
    expect(messages()).toContain('gosherve layer: replanned');
    const env = out.containers[0]?.plan.services.gosherve?.environment;
    expect(env?.GOSHERVE_REDIRECT_MAP_URL).toBe('https://example.com/r');
  });

  it('applies the layer on pebble-ready', async () => {
    const out = await ctx.run(ctx.on.pebbleReady(gosherve()), fx.base());
    expect(out.containers[0]?.serviceStatuses.gosherve).toBe('active');
  });
});

describe('status follows the workload', () => {
  it('waits for Pebble, with the original message', async () => {
    const out = await ctx.run(
      ctx.on.configChanged(),
      fx.base({ containers: [gosherve({ canConnect: false })] }),
    );
    expect(out.unitStatus).toEqual(status.waiting('waiting for Pebble in workload container'));
    expect(out.containers[0]?.layers).toEqual({});
  });

  it('waits for the storage', async () => {
    const out = await ctx.run(ctx.on.configChanged(), fx.base({ storages: [] }));
    expect(out.unitStatus).toEqual(status.waiting('waiting for the webroot storage'));
  });

  it.each([
    ['site-url', 'not a url', 'site-url is not a URL'],
    ['redirect-map', 'file:///etc/passwd', 'redirect-map must be an http or https URL, not file'],
  ])(
    'blocks on a bad %s, fetches nothing and leaves the workload alone',
    async (key, value, message) => {
      const input = fx.base();
      const requests = fx.server().requests.length;
      const out = await ctx.run(ctx.on.install(), {
        ...input,
        config: { ...input.config, [key]: value },
      });
      expect(out.unitStatus.status).toBe('blocked');
      expect(out.unitStatus.message).toContain(message);
      expect(out.containers[0]?.layers).toEqual({});
      expect(fx.server().requests.length).toBe(requests);
    },
  );

  it('is not active when gosherve exits at start; the hook still succeeds', async () => {
    // gosherve v0.3.7 exits when its first fetch of the redirect map fails: Pebble's start fails.
    const exits = gosherve({
      processes: (command) =>
        command === '/gosherve'
          ? { exitCode: 1, output: ['error fetching redirect map'] }
          : undefined,
    });
    const out = await ctx.run(ctx.on.install(), fx.base({ containers: [exits] }));
    expect(out.unitStatus.status).toBe('waiting');
    expect(out.unitStatus.message).toMatch(
      /^gosherve is not running \((inactive|error|backoff)\): check that redirect-map answers; see 'pebble logs gosherve'$/,
    );
    expect(messages().some((m) => m.startsWith('gosherve did not start: change'))).toBe(true);
    expect(out.openedPorts).toEqual([{ protocol: 'tcp', port: 8080 }]);
  });

  it('is not active when the gosherve-ready check is down', async () => {
    const first = await ctx.run(ctx.on.install(), fx.base());
    const [c] = first.containers;
    const down = gosherve({
      layers: c?.layers ?? {},
      serviceStatuses: { gosherve: 'active' },
      checks: { 'gosherve-ready': { status: 'down' } },
    });
    const out = await ctx.run(ctx.on.updateStatus(), { ...first, containers: [down] });
    expect(out.unitStatus).toEqual(
      status.waiting('gosherve does not answer on :8080 (gosherve-ready down after 3 failures)'),
    );
  });

  it('says there is no site yet when the storage has a placeholder only', async () => {
    mkdirSync(join(fx.root(), 'releases', 'placeholder'), { recursive: true });
    writeFileSync(join(fx.root(), 'releases', 'placeholder', 'index.html'), 'placeholder');
    symlinkSync('releases/placeholder', join(fx.root(), 'site'));
    const out = await ctx.run(ctx.on.configChanged(), fx.base());
    expect(out.unitStatus).toEqual(status.active('no site yet: run the pull-site action'));
  });
});
