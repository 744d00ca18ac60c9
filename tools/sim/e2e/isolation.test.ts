// What a charm and its pods can reach (issue 11, items 1, 2 and 8), through the charm-sim
// executable: a crafted charm is refused by deploy and refresh with nothing written outside;
// pods have no route beyond their /24; the files that may hold secrets are the owner's only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@charm-ts/pebble/testing';
import { type CraftedEntry, craftZip } from '@charm-ts/zip/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { missingRequirement, packProbe } from '../test/probe.ts';
import { tempDir } from '../test/temp.ts';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`charm-sim e2e cannot run: ${missing}`);

const META: CraftedEntry = { name: 'metadata.yaml', data: 'name: ops-probe\n', mode: 0o644 };
const DISPATCH: CraftedEntry = { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 };

/** Runs `ip` and returns its exit status and output. */
function ip(...args: string[]) {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** True once `address:port` accepts a TCP connection from inside network namespace `netns`. */
function connectsFrom(netns: string, address: string, port: number): boolean {
  const script = `exec 3<>/dev/tcp/${address}/${port}`;
  return spawnSync('ip', ['netns', 'exec', netns, 'bash', '-c', script]).status === 0;
}

describe.skipIf(missing)('what a charm and its pods can reach', () => {
  const root = tempDir('sim-iso-');
  const stateDir = join(root, 'state');
  const outside = join(root, 'outside');
  const charmSim = (...args: string[]) => {
    const result = spawnSync(process.execPath, [cli, '--state-dir', stateDir, ...args], {
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const model = () => JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));

  beforeAll(() => {
    mkdirSync(outside);
    const deploy = charmSim('deploy', packProbe(), 'web', '-n', '2');
    expect(deploy.stderr).not.toContain('ERROR');
    expect(deploy.code).toBe(0);
  });

  afterAll(() => {
    charmSim('destroy', '--force');
  });

  // From <state>/charms/<app>-<rev>, `../../..` is <root>: an escape would land in outside/.
  const crafted: [string, CraftedEntry[], string][] = [
    [
      'a chain of symlinks',
      [
        META,
        DISPATCH,
        { name: 'a', data: '.', mode: 0o120777 },
        { name: 'a/a/a/l', data: '../../..', mode: 0o120777 },
        { name: 'a/a/a/l/outside/pwned', data: 'x', mode: 0o644 },
      ],
      'entry "a/a/a/l" is under the symlink "a"',
    ],
    [
      'one entry twice, a file then a symlink',
      [
        META,
        DISPATCH,
        { name: 'x', data: 'x', mode: 0o644 },
        { name: 'x', data: '../../../outside/pwned', mode: 0o120777 },
      ],
      'entry "x" is in the archive more than once',
    ],
  ];

  test.each(crafted)('deploy of a charm with %s exits 1 naming the entry', (_, entries, why) => {
    const file = join(root, 'crafted.charm');
    writeFileSync(file, craftZip(entries));
    const result = charmSim('deploy', file, 'evil');
    expect(result.stderr).toBe(`ERROR cannot unpack ${file}: ${why}; rebuild it with charm-pack\n`);
    expect(result.code).toBe(1);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(join(stateDir, 'charms'))).toEqual(['web-1']);
    expect(model().apps.evil).toBeUndefined();
  });

  test.each(crafted)(
    'refresh to a charm with %s is refused; the old charm stays',
    (_, entries, why) => {
      const file = join(root, 'crafted.charm');
      writeFileSync(file, craftZip(entries));
      const unitCharm = join(stateDir, 'units', 'web-0', 'juju', 'agents', 'unit-web-0', 'charm');
      const before = readdirSync(unitCharm).sort();
      const result = charmSim('refresh', 'web', file);
      expect(result.stderr).toBe(
        `ERROR cannot unpack ${file}: ${why}; rebuild it with charm-pack\n`,
      );
      expect(result.code).toBe(1);
      expect(readdirSync(outside)).toEqual([]);
      expect(readdirSync(join(stateDir, 'charms'))).toEqual(['web-1']);
      expect(readdirSync(unitCharm).sort()).toEqual(before);
      expect(model().apps.web.charmRevision).toBe(1);
    },
  );

  test('pods have no route beyond their /24; they reach each other and the host bridge', async () => {
    const { subnet, bridge, units } = model();
    const [first, second] = [units['web/0'], units['web/1']];
    // One documented range for every pod subnet.
    expect(subnet).toMatch(/^10\.213\.\d+$/);
    expect(first.address).toBe(`${subnet}.2`);
    // Asked of the routing table only: nothing is sent.
    const routes = ip('-n', first.netns, 'route', 'show');
    expect(routes.out).not.toContain('default');
    const offMachine = ip('-n', first.netns, 'route', 'get', '1.1.1.1');
    expect(offMachine.code).not.toBe(0);
    expect(offMachine.out).toContain('Network is unreachable');
    expect(ip('-n', first.netns, '-6', 'route', 'get', '2001:db8::1').code).not.toBe(0);
    expect(ip('-n', first.netns, 'route', 'get', `${subnet}.1`).out).toContain('dev eth0');
    expect(ip('-n', first.netns, 'route', 'get', second.address).out).toContain('dev eth0');
    // The host forwards nothing that comes in from the pods.
    expect(readFileSync(`/proc/sys/net/ipv4/conf/${bridge}/forwarding`, 'utf8').trim()).toBe('0');
    expect(readFileSync(`/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`, 'utf8').trim()).toBe('1');

    // And what must work does: pod to pod, pod to the host's bridge address.
    await waitUntil(
      `${second.address}:8080 to accept a connection from web/0`,
      () => connectsFrom(first.netns, second.address, 8080),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, `${subnet}.1`, resolve));
    try {
      const { port } = server.address() as { port: number };
      expect(connectsFrom(first.netns, `${subnet}.1`, port)).toBe(true);
    } finally {
      server.close();
    }
  });

  test('the state, the debug log and workload logs are the owner’s only', () => {
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(stateDir, 'state.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'debug.log')).mode & 0o777).toBe(0o600);
    const logs = join(stateDir, 'units', 'web-0', 'logs', 'workload.log');
    expect(statSync(logs).mode & 0o777).toBe(0o600);
  });
});
