/**
 * A unit's pod: a network namespace, one sandbox per workload container running
 * `pebble run --create-dirs --hold`, and the charm container a hook runs in.
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { storageLocation } from '@charm-ts/juju-model';
import type { Binaries } from './binaries.ts';
import { SimError } from './errors.ts';
import { agentDir, toolsDir } from './hook-env.ts';
import type { AppState, PodContainer, UnitState } from './model.ts';
import { createPodNetwork, ensureBridge, removePodNetwork } from './network.ts';
import { pausePoint } from './pause.ts';
import { bootId } from './pebble-watch.ts';
import { alive, killGroup, runsUnder } from './processes.ts';
import { type Bind, sandboxArgv } from './sandbox.ts';

/** Host directories of one unit. */
export class UnitPaths {
  readonly root: string;
  constructor(stateDir: string, unit: string) {
    this.root = join(stateDir, 'units', unit.replace('/', '-'));
  }
  /** Appears as /var/lib/juju in the charm container. */
  get juju(): string {
    return join(this.root, 'juju');
  }
  get agent(): string {
    return join(this.juju, 'agents', `unit-${this.root.split('/').pop()}`);
  }
  get charm(): string {
    return join(this.agent, 'charm');
  }
  get socket(): string {
    return join(this.agent, 'agent.socket');
  }
  /** Appears as /charm/containers in the charm container. */
  get containers(): string {
    return join(this.root, 'containers');
  }
  container(name: string): string {
    return join(this.containers, name);
  }
  pebbleSocket(name: string): string {
    return join(this.container(name), 'pebble.socket');
  }
  layer(name: string): string {
    return join(this.root, 'layers', name);
  }
  storage(name: string): string {
    return join(this.root, 'storage', name);
  }
  log(name: string): string {
    return join(this.root, 'logs', `${name}.log`);
  }
}

/** Where the simulator keeps the hook tools and their client for every unit. */
export interface SharedDirs {
  /** Host dir bound at /charm/bin: the hook-tool client (hook-tool or hook-tool.cjs) and a `pebble` symlink. */
  readonly bin: string;
  /** Host dir of the tools (symlinks to the client, or shims), bound at the unit's tools dir. */
  readonly tools: string;
}

function storageBinds(app: AppState, paths: UnitPaths, container?: string): Bind[] {
  const binds: Bind[] = [];
  if (container === undefined) {
    for (const [name, spec] of Object.entries(app.charm.storage)) {
      binds.push({ src: paths.storage(name), dest: storageLocation(name, spec.location) });
    }
    return binds;
  }
  for (const mount of app.charm.containers[container]?.mounts ?? []) {
    binds.push({ src: paths.storage(mount.storage), dest: mount.location });
  }
  return binds;
}

/**
 * Creates the pod's network and starts every workload container, waiting until each Pebble
 * answers. Each container is recorded in `unit.containers` and saved (`save`) as soon as its
 * sandbox exists, so a charm-sim killed meanwhile leaves no process the state does not name.
 * @throws SimError `POD_FAILED` when the network cannot be made or a Pebble does not come up
 * (the message has the tail of its log).
 */
export async function startPod(
  bins: Binaries,
  stateDir: string,
  bridge: string,
  app: AppState,
  unit: UnitState,
  save: () => void,
): Promise<void> {
  const paths = new UnitPaths(stateDir, unit.name);
  // Bound at /charm/containers in the charm container even when the charm has no workload.
  mkdirSync(paths.containers, { recursive: true });
  for (const name of Object.keys(app.charm.storage))
    mkdirSync(paths.storage(name), { recursive: true });
  createPodNetwork(bins.ip, bridge, {
    netns: unit.netns,
    hostVeth: `${bridge}p${unit.podIndex}`,
    address: unit.address,
  });
  for (const name of Object.keys(app.charm.containers)) {
    await startContainer(bins, paths, app, unit, name, (container) => {
      unit.containers[name] = container;
      save();
    });
  }
}

/**
 * Starts one workload container and waits for its Pebble. `record` gets the container (its
 * sandbox's pid) as soon as the sandbox exists, before Pebble answers.
 * @throws SimError `POD_FAILED` when Pebble does not come up (the sandbox is killed).
 */
export async function startContainer(
  bins: Binaries,
  paths: UnitPaths,
  app: AppState,
  unit: UnitState,
  name: string,
  record: (container: PodContainer) => void,
): Promise<PodContainer> {
  const dir = paths.container(name);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(paths.root, 'logs'), { recursive: true });
  rmSync(paths.pebbleSocket(name), { force: true });
  const argv = sandboxArgv(bins, {
    netns: unit.netns,
    layerDir: paths.layer(name),
    hostname: unit.name.replace('/', '-'),
    binds: [
      { src: dir, dest: '/charm/container' },
      { src: bins.pebble, dest: '/charm/bin/pebble', readOnly: true },
      ...storageBinds(app, paths, name),
    ],
    env: {
      JUJU_CONTAINER_NAME: name,
      PEBBLE_SOCKET: '/charm/container/pebble.socket',
      PEBBLE: '/charm/container/pebble',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    },
    cwd: '/',
    command: ['/charm/bin/pebble', 'run', '--create-dirs', '--hold', '--verbose'],
    dieWithParent: false,
  });
  // The workload's log may carry what the workload prints, secrets included: owner only.
  const log = openSync(paths.log(name), 'a', 0o600);
  const child = spawn(argv[0] as string, argv.slice(1), {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  const pid = child.pid ?? 0;
  const container: PodContainer = { pid };
  record(container);
  pausePoint('pod-starting');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const id = await bootId(paths.pebbleSocket(name));
    if (id) return container;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  killGroup(pid);
  const tail = readFileSync(paths.log(name), 'utf8').trim().split('\n').slice(-3).join(' | ');
  throw new SimError(
    'POD_FAILED',
    `container ${name} of ${unit.name} did not start Pebble: ${tail || 'no output'} (log: ${paths.log(name)})`,
  );
}

/**
 * Stops one container's sandbox (SIGTERM to its process group, SIGKILL after 3 s), if the
 * process with the recorded pid still is that sandbox (its command line names `unitRoot`):
 * after a reboot the pid may belong to anything.
 */
export async function stopContainer(
  container: PodContainer | undefined,
  unitRoot: string,
): Promise<void> {
  if (!container?.pid || !runsUnder(container.pid, unitRoot)) return;
  killGroup(container.pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && alive(container.pid)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  killGroup(container.pid, 'SIGKILL');
}

/**
 * Brings back what is gone, as Kubernetes would: the pod's network (after a reboot) and every
 * container whose Pebble no longer answers. The next poll fires a restarted container's
 * pebble-ready. Returns the names of the restarted containers.
 * @throws SimError `POD_FAILED` when the network or a container cannot be made.
 */
export async function revivePod(
  bins: Binaries,
  stateDir: string,
  bridge: string,
  subnet: string,
  app: AppState,
  unit: UnitState,
  save: () => void,
): Promise<string[]> {
  const paths = new UnitPaths(stateDir, unit.name);
  if (!existsSync(`/run/netns/${unit.netns}`)) {
    ensureBridge(bins.ip, bridge, subnet);
    createPodNetwork(bins.ip, bridge, {
      netns: unit.netns,
      hostVeth: `${bridge}p${unit.podIndex}`,
      address: unit.address,
    });
  }
  const restarted: string[] = [];
  for (const name of Object.keys(app.charm.containers)) {
    const old = unit.containers[name];
    if (old && (await bootId(paths.pebbleSocket(name)))) continue;
    await stopContainer(old, paths.root);
    // Pebble keeps its notices in /charm/container/pebble: old ones are not events again.
    const kept = old?.noticesAfter ? { noticesAfter: old.noticesAfter } : {};
    await startContainer(bins, paths, app, unit, name, (fresh) => {
      unit.containers[name] = Object.assign(fresh, kept);
      save();
    });
    restarted.push(name);
  }
  return restarted;
}

/** Stops every container and removes the pod's network. */
export async function stopPod(
  bins: Binaries,
  stateDir: string,
  bridge: string,
  unit: UnitState,
): Promise<void> {
  const root = new UnitPaths(stateDir, unit.name).root;
  await Promise.all(Object.values(unit.containers).map((c) => stopContainer(c, root)));
  removePodNetwork(bins.ip, {
    netns: unit.netns,
    hostVeth: `${bridge}p${unit.podIndex}`,
    address: unit.address,
  });
}

/** The argv that runs `command` (default `./dispatch`) in the unit's charm container with `env`. */
export function charmContainerArgv(
  bins: Binaries,
  stateDir: string,
  shared: SharedDirs,
  app: AppState,
  unit: UnitState,
  env: Record<string, string>,
  command: readonly string[] = ['./dispatch'],
): string[] {
  const paths = new UnitPaths(stateDir, unit.name);
  return sandboxArgv(bins, {
    netns: unit.netns,
    layerDir: paths.layer('charm'),
    hostname: unit.name.replace('/', '-'),
    binds: [
      { src: paths.juju, dest: '/var/lib/juju' },
      { src: shared.tools, dest: toolsDir(unit.name), readOnly: true },
      { src: shared.bin, dest: '/charm/bin', readOnly: true },
      { src: paths.containers, dest: '/charm/containers' },
      ...storageBinds(app, paths),
    ],
    env,
    cwd: `${agentDir(unit.name)}/charm`,
    command,
    dieWithParent: true,
  });
}
