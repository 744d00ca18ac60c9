/**
 * What the charm's state-transition tests share: a fixture server with the sites they pull, a
 * webroot directory per test, and the State of a unit with both.
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContainerState, container, type State, state, storage } from '@charm-ts/testing';
import { craftZip } from '@charm-ts/zip/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';

/** The single page the original's default site-url served. */
export const PAGE = '<!doctype html>\n<h1>Hello, KubeCon!</h1>\n';

/** A site archive as GitHub makes them: everything under one top-level directory. */
export const SITE_ZIP = craftZip([
  { name: 'test-site-master/index.html', data: '<h1>Hello KubeCon</h1>' },
  { name: 'test-site-master/css/site.css', data: 'h1{}' },
]);

/** The fixture server's routes, by what they hold. */
function serve(server: FixtureServer): void {
  server.routes.set('/routes', 'kubecon https://events.linuxfoundation.org/kubecon/\n');
  server.routes.set('/demo-site', { status: 200, body: PAGE, type: 'text/html; charset=utf-8' });
  server.routes.set('/site.zip', SITE_ZIP);
  server.routes.set('/corrupt.zip', craftZip([{ name: 'index.html', data: 'x', crc32: 7 }]));
  server.routes.set(
    '/escape.zip',
    craftZip([
      { name: 'index.html', data: 'x' },
      { name: '../../etc/cron.d/x', data: 'x' },
    ]),
  );
  server.routes.set(
    '/symlink.zip',
    craftZip([{ name: 'index.html', data: '/etc/shadow', mode: 0o120777 }]),
  );
  server.routes.set('/gone', { status: 404 });
  // A name longer than the filesystem allows: the archive is fine, writing it fails.
  server.routes.set(
    '/long-name.zip',
    craftZip([
      { name: 'index.html', data: 'x' },
      { name: `${'x'.repeat(300)}.html`, data: 'x' },
    ]),
  );
  server.routes.set('/slow', 'hang');
  server.routes.set('/notes.txt', { status: 200, body: 'just text\n', type: 'text/plain' });
  server.routes.set('/untyped-page', { status: 200, body: '<p>untyped</p>\n', type: '' });
  server.routes.set('/logo.png', {
    status: 200,
    body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    type: 'image/png',
  });
  server.routes.set('/blob', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
  server.routes.set('/fake.html', {
    status: 200,
    body: Buffer.from([0x3c, 0x70, 0x3e, 0, 0, 0]),
    type: 'text/html',
  });
  server.routes.set('/empty', { status: 200, body: '', type: 'text/html' });
}

/** One fixture server per test file and one webroot directory per test. */
export interface CharmFixtures {
  /** The fixture server (started before the file's tests). */
  readonly server: () => FixtureServer;
  /** This test's webroot directory (the storage's location). */
  readonly root: () => string;
  /** A unit with the gosherve container and the webroot, config pointing at the server. */
  base(spec?: Partial<State>): State;
  /** The served site's index.html (through the `site` link). */
  site(): string;
}

/** Registers the hooks that make the fixtures; call at the top of a test file. */
export function charmFixtures(): CharmFixtures {
  let server: FixtureServer | undefined;
  let root: string | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
    serve(server);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hk-charm-'));
  });
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use it inside a test`);
    return value;
  };
  return {
    server: () => need(server, 'the fixture server'),
    root: () => need(root, 'the webroot'),
    base(spec = {}) {
      const url = need(server, 'the fixture server').url;
      return state({
        leader: true,
        config: { 'redirect-map': `${url}/routes`, 'site-url': `${url}/demo-site` },
        containers: [gosherve()],
        storages: [storage({ name: 'webroot', location: need(root, 'the webroot') })],
        ...spec,
      });
    },
    site: () => readFileSync(join(need(root, 'the webroot'), 'site', 'index.html'), 'utf8'),
  };
}

/** The gosherve container, reachable unless told. */
export function gosherve(spec: Partial<Omit<ContainerState, 'name'>> = {}): ContainerState {
  return container({ ...spec, name: 'gosherve' });
}
