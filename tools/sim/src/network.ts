/**
 * Pod networking: one bridge per state directory and one network namespace per pod, joined to
 * the bridge by a veth pair, so every pod has its own address and pods reach each other.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { SimError } from './errors.ts';

/** One pod's network. */
export interface PodNetwork {
  readonly netns: string;
  readonly hostVeth: string;
  readonly address: string;
}

function ip(ipBin: string, args: string[], allowFail = false): boolean {
  const result = spawnSync(ipBin, args, { encoding: 'utf8' });
  if (result.status !== 0 && !allowFail) {
    throw new SimError(
      'POD_FAILED',
      `ip ${args.join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()} (charm-sim needs root for ip netns)`,
    );
  }
  return result.status === 0;
}

/**
 * The first of `preferred`, `preferred+1`, … (as `10.a.b`) that no interface on this machine
 * uses, so two state directories never share a subnet.
 */
export function freeSubnet(ipBin: string, preferred: string): string {
  const used = spawnSync(ipBin, ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout ?? '';
  const [a, b, c] = preferred.split('.').map(Number) as [number, number, number];
  for (let i = 0; i < 256; i++) {
    const candidate = `${a}.${b}.${(c + i) % 256}`;
    if (!used.includes(` ${candidate}.`)) return candidate;
  }
  throw new SimError('POD_FAILED', `no free 10.${b}.x.0/24 subnet for the pod bridge`);
}

const NET_LOCK = '/run/charm-sim-network.lock';

/**
 * Runs `fn` while holding a machine-wide lock, so two simulators never pick the same subnet.
 * A lock older than 30 s is taken to be left over by a crashed process.
 */
export function withNetworkLock<T>(fn: () => T): T {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      mkdirSync(NET_LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(NET_LOCK).mtimeMs > 30_000)
          rmSync(NET_LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile.
      }
      if (Date.now() > deadline)
        throw new SimError(
          'POD_FAILED',
          `${NET_LOCK} is held: remove it if no charm-sim is running`,
        );
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(NET_LOCK, { recursive: true, force: true });
  }
}

/** True when the bridge `name` exists. */
export function bridgeExists(ipBin: string, name: string): boolean {
  return ip(ipBin, ['link', 'show', name], true);
}

/** Creates the bridge `name` with address `<subnet>.1/24` unless it exists. */
export function ensureBridge(ipBin: string, name: string, subnet: string): void {
  if (ip(ipBin, ['link', 'show', name], true)) return;
  ip(ipBin, ['link', 'add', name, 'type', 'bridge']);
  ip(ipBin, ['addr', 'add', `${subnet}.1/24`, 'dev', name]);
  ip(ipBin, ['link', 'set', name, 'up']);
}

/** Removes the bridge (no error when it is already gone). */
export function removeBridge(ipBin: string, name: string): void {
  ip(ipBin, ['link', 'del', name], true);
}

/**
 * Creates a pod's namespace with `lo` and `eth0` up, `eth0` at `address`/24 on the bridge.
 * @throws SimError `POD_FAILED` when an `ip` command fails.
 */
export function createPodNetwork(
  ipBin: string,
  bridge: string,
  subnet: string,
  net: PodNetwork,
): void {
  removePodNetwork(ipBin, net);
  const peer = `${net.hostVeth}x`;
  ip(ipBin, ['netns', 'add', net.netns]);
  ip(ipBin, ['link', 'add', net.hostVeth, 'type', 'veth', 'peer', 'name', peer]);
  ip(ipBin, ['link', 'set', peer, 'netns', net.netns]);
  ip(ipBin, ['-n', net.netns, 'link', 'set', peer, 'name', 'eth0']);
  ip(ipBin, ['-n', net.netns, 'addr', 'add', `${net.address}/24`, 'dev', 'eth0']);
  ip(ipBin, ['-n', net.netns, 'link', 'set', 'eth0', 'up']);
  ip(ipBin, ['-n', net.netns, 'link', 'set', 'lo', 'up']);
  ip(ipBin, ['-n', net.netns, 'route', 'add', 'default', 'via', `${subnet}.1`]);
  ip(ipBin, ['link', 'set', net.hostVeth, 'master', bridge]);
  ip(ipBin, ['link', 'set', net.hostVeth, 'up']);
}

/** Deletes a pod's namespace (its veth pair goes with it). */
export function removePodNetwork(ipBin: string, net: PodNetwork): void {
  ip(ipBin, ['netns', 'del', net.netns], true);
  ip(ipBin, ['link', 'del', net.hostVeth], true);
}
