/**
 * Ending a model: `destroy` (every pod stopped, the network removed, the state directory
 * deleted; no hooks run) and `destroy --force` for a model whose state cannot be read or whose
 * commands were killed.
 * @module
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { which } from './binaries.ts';
import type { HookHost } from './hook-runner.ts';
import { sweepNetwork } from './network.ts';
import { stopContainer, stopPod, UnitPaths } from './pod.ts';
import { alive, killGroup, runsUnder } from './processes.ts';
import { bridgeName } from './store.ts';

/** Kills the hook (or action) each unit of the open model is running, if any. */
export function killHooks(host: HookHost): void {
  for (const unit of Object.values(host.model.units)) {
    const root = new UnitPaths(host.stateDir, unit.name).root;
    if (unit.hookPid !== undefined && runsUnder(unit.hookPid, root)) killGroup(unit.hookPid);
  }
}

/**
 * Stops every pod and hook of the open model, removes its network, calls `release` (the
 * state-dir lock) and deletes the state directory. Without `ip` on PATH the containers are
 * still stopped.
 */
export async function destroyModel(host: HookHost, release: () => void): Promise<void> {
  const { model, stateDir } = host;
  let ipBin: string | undefined;
  try {
    ipBin = host.bins().ip;
  } catch {
    ipBin = undefined;
  }
  killHooks(host);
  for (const unit of Object.values(model.units)) {
    const root = new UnitPaths(stateDir, unit.name).root;
    if (ipBin) await stopPod(host.bins(), stateDir, model.bridge, unit);
    else await Promise.all(Object.values(unit.containers).map((c) => stopContainer(c, root)));
  }
  if (ipBin) sweepNetwork(ipBin, model.bridge);
  model.units = {};
  model.apps = {};
  release();
  rmSync(stateDir, { recursive: true, force: true });
}

/**
 * Destroys a model whose state cannot be loaded or whose commands were killed: kills every
 * process the state file names that is still one of its sandboxes, removes every network
 * namespace and link of its bridge (named after the directory, so found even without the
 * file), then deletes the directory.
 */
export async function forceDestroy(stateDir: string): Promise<void> {
  const dir = resolve(stateDir);
  const file = join(dir, 'state.json');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const pids = [...text.matchAll(/"(?:pid|hookPid)": ?(\d+)/g)]
    .map(([, pid]) => Number(pid))
    .filter((pid) => pid > 1 && runsUnder(pid, dir));
  for (const pid of pids) killGroup(pid);
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const ip = which('ip');
  if (ip) {
    const bridges = new Set([bridgeName(dir)]);
    for (const [, name] of text.matchAll(/"bridge": ?"(csim[0-9a-f]+)"/g)) bridges.add(name ?? '');
    for (const bridge of bridges) if (bridge) sweepNetwork(ip, bridge);
  }
  rmSync(dir, { recursive: true, force: true });
}
