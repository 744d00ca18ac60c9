/**
 * The packed snappass charm in charm-sim: real Pebble daemons in bwrap pods, Debian's
 * redis-server and snappass 1.6.2 from PyPI. One model is shared by the tests, which run in
 * order: deploy, store and reveal a password, change config, kill redis.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PebbleClient } from '@charm-ts/pebble';
import { waitUntil } from '@charm-ts/pebble/testing';
import { Simulator } from '@charm-ts/sim';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packCharm } from './pack.ts';
import { commandLine, forwardLoopback, podPids } from './pod-tools.ts';
import { missingRequirement } from './requirements.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`snappass e2e cannot run: ${missing}`);

const UNIT = 'snappass/0';
const PASSWORD = 'correct horse battery staple';

/** Stores a password the way the browser form does; returns the one-time link. */
async function storePassword(base: string, password: string): Promise<string> {
  const response = await fetch(`${base}/`, {
    method: 'POST',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, ttl: 'hour' }).toString(),
  });
  expect(response.status).toBe(200);
  const link = /id="password-link" value="([^"]+)"/.exec(await response.text())?.[1];
  if (!link) throw new Error('no password-link in the confirmation page');
  return link;
}

/** Reveals a password the way the browser does (a POST to the link); undefined when gone. */
async function reveal(base: string, token: string): Promise<string | undefined> {
  const response = await fetch(`${base}/${token}`, { method: 'POST' });
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  const html = await response.text();
  return /<textarea[^>]*id="password-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1]?.trim();
}

describe.skipIf(missing)(`snappass in charm-sim${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let work: string;
  let sim: Simulator;
  let base: string;
  let netns: string;
  let redis: ReturnType<typeof createClient>;
  let closeForwarder: () => void = () => {};

  const unit = () => sim.state.units[UNIT];
  const workload = () => unit()?.workloadStatus;
  const snappassPlan = (unitName: string) =>
    new PebbleClient({
      socketPath: join(
        sim.stateDir,
        'units',
        unitName.replace('/', '-'),
        'containers/snappass/pebble.socket',
      ),
    }).getPlan();
  const answers = () =>
    waitUntil('snappass to answer', async () => ((await fetch(`${base}/`)).ok ? true : undefined), {
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'snappass-e2e-'));
    const charm = packCharm(join(work, 'dist'));
    sim = Simulator.open({ stateDir: join(work, 'state'), hookTimeoutMs: 120_000 });
    await sim.deploy(charm);
    const state = unit();
    if (!state) throw new Error(`${UNIT} was not deployed`);
    base = `http://${state.address}:5000`;
    netns = state.netns;
    const forwarder = await forwardLoopback(
      execFileSync('sh', ['-c', 'command -v nsenter'], { encoding: 'utf8' }).trim(),
      netns,
      6379,
      work,
    );
    closeForwarder = forwarder.close;
    redis = createClient({ socket: { path: forwarder.path, reconnectStrategy: 250 } });
    redis.on('error', () => {});
    await redis.connect();
  });

  afterAll(async () => {
    redis?.destroy();
    closeForwarder();
    await sim?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('deploy: active, both workloads running, redis on loopback only', async () => {
    expect(sim.takeProblems()).toEqual([]);
    expect(workload()).toMatchObject({ status: 'active' });
    expect(podPids(netns, 'redis-server')).toHaveLength(1);
    await answers();
    const [pid] = podPids(netns, 'redis-server');
    // redis-server shows its listening address as its process title.
    expect(commandLine(pid as number)).toBe('redis-server 127.0.0.1:6379');
    await expect(fetch(`http://${unit()?.address}:6379/`)).rejects.toThrow();
  });

  test('a stored password is in redis only encrypted, with a TTL; the link works once', async () => {
    const link = await storePassword(base, PASSWORD);
    expect(link).toMatch(new RegExp(`^https://${unit()?.address}:5000/snappass[0-9a-f]{32}~`));
    const token = link.slice(link.lastIndexOf('/') + 1);
    const [storageKey, fernetKey] = decodeURIComponent(token).split('~');

    const keys = await redis.keys('snappass*');
    expect(keys).toEqual([storageKey]);
    const stored = (await redis.get(storageKey as string)) ?? '';
    expect(stored).toMatch(/^gAAAAA[A-Za-z0-9_=-]+$/); // a Fernet token
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(fernetKey);
    const ttl = await redis.ttl(storageKey as string);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);

    expect((await fetch(`${base}/${token}`)).status).toBe(200); // the preview page
    expect(await reveal(base, token)).toBe(PASSWORD);
    expect(await reveal(base, token)).toBeUndefined();
    expect(await redis.keys('snappass*')).toEqual([]);
  });

  test('the secret key reaches snappass through its environment only', async () => {
    const plan = await snappassPlan(UNIT);
    const key = plan.services.snappass?.environment?.SECRET_KEY ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [pid] = podPids(netns, 'snappass');
    expect(commandLine(pid as number)).not.toContain(key);
    expect(sim.debugLog()).not.toContain(key);
    expect(JSON.stringify(sim.state.apps.snappass?.config)).not.toContain(key);
  });

  test('an event with nothing changed restarts nothing', async () => {
    const before = [podPids(netns, 'redis-server'), podPids(netns, 'snappass')];
    expect(before[1]).toHaveLength(1);
    await sim.updateStatus(UNIT);
    expect(sim.takeProblems()).toEqual([]);
    expect([podPids(netns, 'redis-server'), podPids(netns, 'snappass')]).toEqual(before);
    expect(workload()).toEqual(expect.objectContaining({ status: 'active', message: '' }));
  });

  test('a config change restarts snappass with it, and not redis', async () => {
    const [redisBefore] = podPids(netns, 'redis-server');
    await sim.config('snappass', ['no-ssl=true', 'url-prefix=/share']);
    expect(sim.takeProblems()).toEqual([]);
    expect(workload()).toMatchObject({ status: 'active', message: 'snappass started' });
    await answers();
    const link = await storePassword(base, PASSWORD);
    expect(link).toMatch(new RegExp(`^http://${unit()?.address}:5000/share/snappass`));
    expect(podPids(netns, 'redis-server')).toEqual([redisBefore]);

    await sim.config('snappass', ['url-prefix=/a b']);
    expect(workload()?.status).toBe('blocked');
    expect(workload()?.message).toContain('url-prefix "/a b" is not a URL path');
    await sim.config('snappass', [], ['url-prefix', 'no-ssl']);
    expect(workload()).toMatchObject({ status: 'active' });
    await answers();
    expect(await storePassword(base, PASSWORD)).toMatch(/^https:\/\//);
  });

  test('killed redis-server: Pebble brings it back, the charm reports it', async () => {
    const [before] = podPids(netns, 'redis-server');
    expect(before).toBeDefined();
    // Keep killing it until the check fails and the charm has run on that event.
    const seen: string[] = [];
    const killer = setInterval(() => {
      for (const pid of podPids(netns, 'redis-server')) process.kill(pid, 'SIGKILL');
    }, 100);
    try {
      await waitUntil(
        'the charm to see the failed redis check',
        async () => {
          await sim.watch({ durationMs: 1000, pollMs: 250 });
          seen.push(`${workload()?.status}: ${workload()?.message}`);
          return sim.debugLog().includes('ran "redis-pebble-check-failed" hook') ? true : undefined;
        },
        { timeoutMs: 90_000, lastSeen: () => seen.slice(-3).join('; ') },
      );
    } finally {
      clearInterval(killer);
    }
    await waitUntil(
      'redis back and the unit active',
      async () => {
        await sim.watch({ durationMs: 1000, pollMs: 250 });
        seen.push(`${workload()?.status}: ${workload()?.message}`);
        return workload()?.status === 'active' && podPids(netns, 'redis-server').length === 1
          ? true
          : undefined;
      },
      { timeoutMs: 90_000, lastSeen: () => seen.slice(-3).join('; ') },
    );
    expect(sim.takeProblems()).toEqual([]);
    const [after] = podPids(netns, 'redis-server');
    expect(after).not.toBe(before);
    expect(await redis.ping()).toBe('PONG');
    expect(
      seen.some((s) => s.startsWith('waiting: waiting for redis') || s === 'active: redis started'),
    ).toBe(true);
    await answers();
    const link = await storePassword(base, PASSWORD);
    expect(await reveal(base, link.slice(link.lastIndexOf('/') + 1))).toBe(PASSWORD);
  });

  test('a second unit gets the same secret key from the leader, through the peer relation', async () => {
    await sim.scale('snappass', 2);
    expect(sim.takeProblems()).toEqual([]);
    expect(sim.state.units['snappass/1']?.workloadStatus).toMatchObject({ status: 'active' });
    const keys = await Promise.all(
      [UNIT, 'snappass/1'].map(async (u) => (await snappassPlan(u)).services.snappass?.environment),
    );
    expect(keys[1]?.SECRET_KEY).toBe(keys[0]?.SECRET_KEY);
    expect(Object.values(sim.state.secrets)).toHaveLength(1);
  });
});
