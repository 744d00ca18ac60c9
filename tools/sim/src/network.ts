/**
 * Pod networking: one bridge per state directory and one network namespace per pod, joined to
 * the bridge by a veth pair, so every pod has its own address and pods reach each other and
 * the host. Nothing leaves the machine: a pod has no route beyond its /24 (no default route)
 * and the host forwards nothing that comes in from the bridge.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { SimError } from './errors.ts';
import { tryLockFile } from './lock-file.ts';

/**
 * Every pod subnet is a /24 of this /16: `10.213.N.0/24`, one per state directory (the bridge
 * is `.1`, pods `.2`–`.254`).
 */
export const POD_RANGE = '10.213.0.0/16';
const POD_RANGE_PREFIX = '10.213';

/** The pod subnet a state directory prefers, from a byte of its path's hash: `10.213.N`. */
export function preferredSubnet(hashByte: number): string {
  return `${POD_RANGE_PREFIX}.${hashByte % 256}`;
}

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
 * The first of `preferred`, `preferred+1`, … (as `10.213.N`, within {@link POD_RANGE}) whose
 * /24 no address or route on this machine overlaps, so two state directories never share a
 * subnet and no pod hides a network the host reaches.
 * @throws SimError `POD_FAILED` when every /24 of the range is taken.
 */
export function freeSubnet(ipBin: string, preferred: string): string {
  const taken = [
    ...networksIn(spawnSync(ipBin, ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout),
    ...networksIn(
      spawnSync(ipBin, ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }).stdout,
    ),
  ];
  const start = Number(preferred.split('.')[2] ?? 0);
  for (let i = 0; i < 256; i++) {
    const candidate = `${POD_RANGE_PREFIX}.${(start + i) % 256}`;
    const base = toInt(`${candidate}.0`);
    if (!taken.some(([net, len]) => overlaps(base, 24, net, len))) return candidate;
  }
  throw new SimError(
    'POD_FAILED',
    `no free /24 pod subnet left in ${POD_RANGE}: run charm-sim destroy in models you no longer use`,
  );
}

// Every `a.b.c.d/len` in `ip` output, the default route left out (it overlaps everything).
function networksIn(text: string | null | undefined): [number, number][] {
  const out: [number, number][] = [];
  for (const [, addr, len] of (text ?? '').matchAll(/(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)) {
    const bits = len === undefined ? 32 : Number(len);
    if (bits > 0) out.push([toInt(addr as string), bits]);
  }
  return out;
}

function toInt(addr: string): number {
  return addr.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function overlaps(a: number, aLen: number, b: number, bLen: number): boolean {
  const len = Math.min(aLen, bLen);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

const NET_LOCK = '/run/charm-sim-network-lock';

/**
 * Runs `fn` while holding a machine-wide lock, so two simulators never pick the same subnet.
 * A lock whose process is gone is taken over (see lock-file.ts).
 * @throws SimError `POD_FAILED` when a live process holds it for more than 30 s.
 */
export function withNetworkLock<T>(fn: () => T): T {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = tryLockFile(NET_LOCK);
    if (result.held) {
      try {
        return fn();
      } finally {
        result.release();
      }
    }
    if (Date.now() > deadline) {
      throw new SimError(
        'POD_FAILED',
        `${NET_LOCK} has been held by charm-sim process ${result.pid} for 30 s: wait for it to finish`,
      );
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

/** True when the bridge `name` exists. */
export function bridgeExists(ipBin: string, name: string): boolean {
  return ip(ipBin, ['link', 'show', name], true);
}

/**
 * Creates the bridge `name` with address `<subnet>.1/24` unless it exists. The host forwards
 * nothing that comes in on it (IPv4 forwarding off for it, IPv6 off on it), even when this
 * machine forwards between its other interfaces.
 */
export function ensureBridge(ipBin: string, name: string, subnet: string): void {
  if (ip(ipBin, ['link', 'show', name], true)) return;
  ip(ipBin, ['link', 'add', name, 'type', 'bridge']);
  sysctl(`ipv4/conf/${name}/forwarding`, '0');
  sysctl(`ipv6/conf/${name}/disable_ipv6`, '1');
  ip(ipBin, ['addr', 'add', `${subnet}.1/24`, 'dev', name]);
  ip(ipBin, ['link', 'set', name, 'up']);
}

function sysctl(key: string, value: string): void {
  try {
    writeFileSync(`/proc/sys/net/${key}`, value);
  } catch (cause) {
    throw new SimError(
      'POD_FAILED',
      `cannot set net.${key.replaceAll('/', '.')}=${value}: ${(cause as Error).message} (charm-sim needs root)`,
    );
  }
}

/**
 * Removes every network namespace and link of the bridge `bridge` (its pods' namespaces,
 * host veths, peers never moved into a namespace, the bridge itself), whatever the state file
 * says: what a killed charm-sim made before it could save it goes too.
 */
export function sweepNetwork(ipBin: string, bridge: string): void {
  const ours = new RegExp(`^${bridge}(-\\d+|p\\d+x?)?$`);
  const netns = spawnSync(ipBin, ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of netns.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (name && ours.test(name)) ip(ipBin, ['netns', 'del', name], true);
  }
  const links = spawnSync(ipBin, ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (const [, name] of links.matchAll(/^\d+: ([^:@\s]+)/gm)) {
    if (name && ours.test(name)) ip(ipBin, ['link', 'del', name], true);
  }
}

/**
 * Creates a pod's namespace with `lo` and `eth0` up, `eth0` at `address`/24 on the bridge.
 * @throws SimError `POD_FAILED` when an `ip` command fails.
 */
export function createPodNetwork(ipBin: string, bridge: string, net: PodNetwork): void {
  removePodNetwork(ipBin, net);
  const peer = `${net.hostVeth}x`;
  ip(ipBin, ['netns', 'add', net.netns]);
  ip(ipBin, ['link', 'add', net.hostVeth, 'type', 'veth', 'peer', 'name', peer]);
  ip(ipBin, ['link', 'set', peer, 'netns', net.netns]);
  ip(ipBin, ['-n', net.netns, 'link', 'set', peer, 'name', 'eth0']);
  ip(ipBin, ['-n', net.netns, 'addr', 'add', `${net.address}/24`, 'dev', 'eth0']);
  ip(ipBin, ['-n', net.netns, 'link', 'set', 'eth0', 'up']);
  ip(ipBin, ['-n', net.netns, 'link', 'set', 'lo', 'up']);
  // No default route: the pod reaches its /24 (other pods, the host at .1) and nothing else.
  ip(ipBin, ['link', 'set', net.hostVeth, 'master', bridge]);
  ip(ipBin, ['link', 'set', net.hostVeth, 'up']);
}

/** Deletes a pod's namespace (its veth pair goes with it). */
export function removePodNetwork(ipBin: string, net: PodNetwork): void {
  ip(ipBin, ['netns', 'del', net.netns], true);
  ip(ipBin, ['link', 'del', net.hostVeth], true);
}
