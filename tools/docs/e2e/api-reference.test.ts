// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the text as rendered, which is what a reader sees
/**
 * The API reference `pnpm run docs` builds, opened in headless Chromium (Debian's `chromium`,
 * driven by playwright-core; no browser is ever downloaded): the index, the `Charm` class page
 * and the `PebbleClient` page render with their members. Screenshots are kept in
 * `test-artifacts/docs/` at the repository root (gitignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const API = join(ROOT, 'docs', 'api');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'docs');
export const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'bash scripts/install-test-deps.sh (it runs apt-get install -y chromium)';
/** This machine's network is closed: nothing that would reach out, and a fresh profile. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} missing: ${INSTALL}`;
if (missing && process.env.CI) throw new Error(`the API reference test cannot run: ${missing}`);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` on 127.0.0.1 (a port of its own). */
async function serve(dir: string): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The page of one class, found by its name whatever the module prefix. */
function classPage(name: string): string {
  const file = readdirSync(join(API, 'classes')).find((f) => f.endsWith(`.${name}.html`));
  if (!file) throw new Error(`docs/api/classes has no page for ${name}`);
  return `classes/${file}`;
}

/** The names of the members a class page shows (its h3 anchors), as a reader sees them. */
async function memberNames(page: Page): Promise<string[]> {
  const names = await page.locator('section.tsd-member h3.tsd-anchor-link > span').allInnerTexts();
  return names.map((n) => n.replace(/\u200b/g, '').trim());
}

describe.skipIf(missing)(
  `the API reference in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let server: Server;
    let base: string;
    let profile: string;
    let context: BrowserContext;
    let page: Page;
    const offsite: string[] = [];

    beforeAll(async () => {
      execFileSync('pnpm', ['run', 'docs'], { cwd: ROOT, stdio: 'pipe' });
      ({ server, base } = await serve(API));
      profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: FLAGS,
        viewport: { width: 1280, height: 900 },
      });
      // Everything the pages load comes from the local server.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(base)) return route.continue();
        offsite.push(url);
        return route.abort();
      });
      page = await context.newPage();
      mkdirSync(ARTIFACTS, { recursive: true });
    });

    afterAll(async () => {
      await context?.close();
      server?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    test('the index names every package', async () => {
      await page.goto(`${base}/index.html`);
      await expect(page.title()).resolves.toBe('charm-ts API reference');
      // The readme's table, and the sidebar the page's script draws from navigation.js.
      const content = await page.locator('.col-content').innerText();
      const nav = page.locator('nav.tsd-navigation');
      for (const pkg of [
        '@charm-ts/ops',
        '@charm-ts/pebble',
        '@charm-ts/testing',
        '@charm-ts/sim',
      ]) {
        expect(content).toContain(pkg);
        // The sidebar, drawn by the page's script, links each package's module page.
        const link = nav.locator(
          `a[href$="modules/${pkg.replace('@', '_').replace('/', '_')}.html"]`,
        );
        await link.first().waitFor({ state: 'attached', timeout: 15_000 });
      }
      await page.screenshot({ path: join(ARTIFACTS, 'index.png') });
    });

    test('the Charm class page shows its members', async () => {
      await page.goto(`${base}/${classPage('Charm')}`);
      await expect(page.locator('h1').first().innerText()).resolves.toMatch(/^Class Charm<T>/);
      const members = await memberNames(page);
      expect(members).toEqual(
        expect.arrayContaining(['reconcile', 'addStatus', 'config', 'unit', 'on']),
      );
      await expect(page.locator('#reconcile').isVisible()).resolves.toBe(true);
      // The sidebar is drawn by the page's script: it ran.
      await page
        .locator('.tsd-navigation a', { hasText: 'PebbleClient' })
        .first()
        .waitFor({ state: 'attached', timeout: 15_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'charm.png') });
    });

    test('the PebbleClient class page shows its members', async () => {
      await page.goto(`${base}/${classPage('PebbleClient')}`);
      await expect(page.locator('h1').first().innerText()).resolves.toMatch(/^Class PebbleClient/);
      const members = await memberNames(page);
      expect(members).toEqual(
        expect.arrayContaining(['addLayer', 'replanServices', 'exec', 'push', 'pull', 'getPlan']),
      );
      await page.screenshot({ path: join(ARTIFACTS, 'pebble-client.png'), fullPage: false });
      const png = readFileSync(join(ARTIFACTS, 'pebble-client.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      process.stdout.write(`[api-reference] screenshots in ${ARTIFACTS}\n`);
    });

    test('nothing was fetched from anywhere but the local server', () => {
      expect(offsite).toEqual([]);
    });
  },
);
