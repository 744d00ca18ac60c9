/**
 * The actions: get-admin-password against a small HTTP server standing in for Grafana's API on
 * localhost (today's charm's results and failure texts), and import-dashboard.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Context,
  container,
  peerRelation,
  type State,
  secret,
  state,
  storage,
} from '@charm-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET_ID_KEY, ADMIN_SECRET_LABEL } from './admin-password.ts';
import { GrafanaCharm, PASSWORD_TEXTS, STATUS } from './grafana-charm.ts';

const ctx = new Context(GrafanaCharm);
const PASSWORD = 'Abcdefgh1234';

/** Grafana's two answers the action reads: health, and /api/org with basic auth. */
let accepted = PASSWORD;
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/api/health') {
      res.end(JSON.stringify({ database: 'ok', version: 'test' }));
      return;
    }
    const expected = `Basic ${Buffer.from(`admin:${accepted}`).toString('base64')}`;
    if (req.url === '/api/org' && req.headers.authorization === expected) {
      res.end(JSON.stringify({ id: 1, name: 'Main Org.' }));
      return;
    }
    res.writeHead(401).end(JSON.stringify({ message: 'Invalid username or password' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function deployed(leader: boolean, config: State['config'] = { port }): State {
  const s = secret({ owner: 'app', label: ADMIN_SECRET_LABEL, content: { password: PASSWORD } });
  return state({
    leader,
    config,
    secrets: [s],
    relations: [
      peerRelation({ endpoint: 'grafana', localAppData: { [ADMIN_SECRET_ID_KEY]: s.id } }),
    ],
    storages: [storage({ name: 'database' })],
    containers: [container({ name: 'grafana' })],
  });
}

describe('get-admin-password', () => {
  it('gives the URL and the password Grafana accepts', async () => {
    accepted = PASSWORD;
    await ctx.run(ctx.on.action('get-admin-password'), deployed(true));
    expect(ctx.action?.failure).toBeUndefined();
    expect(ctx.action?.results).toEqual({
      url: `http://grafana.test-model.svc.cluster.local:${port}`,
      'admin-password': PASSWORD,
    });
  });

  it("says so when an administrator changed it (today's texts, leader and follower)", async () => {
    accepted = 'changed-by-hand';
    await ctx.run(ctx.on.action('get-admin-password'), deployed(true));
    expect(ctx.action?.results['admin-password']).toBe(PASSWORD_TEXTS.changedByAdmin);
    await ctx.run(ctx.on.action('get-admin-password'), deployed(false));
    expect(ctx.action?.results['admin-password']).toBe(PASSWORD_TEXTS.perhapsChangedByAdmin);
  });

  it('fails while the leader has made no password, or Grafana does not answer', async () => {
    await ctx.run(
      ctx.on.action('get-admin-password'),
      state({
        relations: [peerRelation({ endpoint: 'grafana' })],
        containers: [container({ name: 'grafana' })],
      }),
    );
    expect(ctx.action?.failure).toBe(PASSWORD_TEXTS.waitingForLeader);
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    await ctx.run(ctx.on.action('get-admin-password'), deployed(true, { port: closed }));
    expect(ctx.action?.failure).toBe(PASSWORD_TEXTS.notReachable);
  });
});

describe('import-dashboard', () => {
  const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

  it('writes the dashboard on the storage, restarts grafana, and says what was imported', async () => {
    const dashboard = JSON.stringify({ title: 'Nodes — é', uid: 'nodes', panels: [{}, {}] });
    const running = await ctx.run(
      ctx.on.pebbleReady(container({ name: 'grafana' })),
      deployed(true),
    );
    const out = await ctx.run(
      ctx.on.action('import-dashboard', { dashboard: b64(dashboard) }),
      running,
    );
    expect(ctx.action?.failure).toBeUndefined();
    const path = String(ctx.action?.results.path);
    expect(path).toMatch(/^\/var\/lib\/grafana\/dashboards\/imported_[0-9a-f]{12}\.json$/);
    expect(out.containers[0]?.files[path]).toBe(dashboard);
    expect(ctx.action?.results).toMatchObject({
      imported: 'Nodes — é',
      uid: 'nodes',
      panels: '2',
      restarted: 'true',
    });
    expect(ctx.unitStatusHistory.map((s) => s.message)).toEqual([
      STATUS.maintenance,
      STATUS.restarted,
    ]);
  });

  it.each([
    ['%%%', 'dashboard must be base64 (for example: base64 -w0 dashboard.json)'],
    [
      b64(Buffer.from([0xff, 0xfe, 0x00])),
      'dashboard decodes to bytes that are not UTF-8 text: it must be JSON',
    ],
    [b64('{"title": '), /^dashboard is not JSON: /],
    [b64('[1, 2]'), 'dashboard must be a JSON object (a Grafana dashboard)'],
  ])('refuses %s with a message that says why', async (param, message) => {
    const out = await ctx.run(
      ctx.on.action('import-dashboard', { dashboard: param }),
      deployed(true),
    );
    expect(ctx.action?.failure).toMatch(message);
    expect(Object.keys(out.containers[0]?.files ?? {})).toEqual([]);
  });
});
