/**
 * A unit's life outside its hooks: creating its pod, queuing its removal, swapping its charm
 * on refresh, tearing it down and electing a new leader.
 * @module
 */

import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { JujuRelation } from '@charm-ts/juju-model';
import { SimError } from './errors.ts';
import { enqueue, queueDeparted, queueLeave, queueSetup, relationsOf } from './events.ts';
import type { HookHost } from './hook-runner.ts';
import { type AppState, type ModelState, status, type UnitState } from './model.ts';
import { startContainer, startPod, stopContainer, stopPod, UnitPaths } from './pod.ts';
import { overwritePlanned, planExtraction, readTree, writePlanned } from './safe-extract.ts';

/** What unit lifecycle steps need from the simulator. */
export interface PodHost extends HookHost {
  progress(line: string): void;
}

/**
 * Pods per state directory: each gets an address in the model's /24 (.2 to .254; .1 is the
 * bridge).
 */
export const MAX_PODS = 253;

/**
 * Checks up front that `adding` more units fit in the model.
 * @throws SimError `BAD_ARGUMENT` naming the cap and the way around it.
 */
export function checkPodRoom(model: ModelState, adding: number): void {
  const used = Object.keys(model.units).length;
  if (used + adding > MAX_PODS) {
    throw new SimError(
      'BAD_ARGUMENT',
      `cannot add ${adding} units: a charm-sim model has room for ${MAX_PODS} pods (one /24 pod subnet per state directory) and ${used} are in use; use fewer units, or a second model with another --state-dir`,
    );
  }
}

/**
 * Adds a unit to `app` in the model, its setup hooks queued, before anything of it exists on
 * the machine: {@link provisionUnit} makes its pod, and a charm-sim killed in between leaves a
 * unit the next command provisions.
 * @throws SimError `BAD_ARGUMENT` when the model has no room for another pod.
 */
export function addUnit(model: ModelState, app: AppState): UnitState {
  checkPodRoom(model, 1);
  const taken = new Set(Object.values(model.units).map((u) => u.podIndex));
  let podIndex = 0;
  while (taken.has(podIndex)) podIndex++;
  const name = `${app.name}/${app.nextUnit++}`;
  const unit: UnitState = {
    name,
    app: app.name,
    workloadStatus: status('waiting', 'installing agent'),
    agentStatus: status('allocating'),
    queue: [],
    state: {},
    ports: [],
    address: `${model.subnet}.${podIndex + 2}`,
    netns: `${model.bridge}-${podIndex}`,
    podIndex,
    provisioned: false,
    containers: {},
    installed: false,
    started: false,
  };
  model.units[name] = unit;
  app.units.push(name);
  app.leader ??= name;
  queueSetup(model, name);
  return unit;
}

/**
 * Makes a unit's pod: its charm files and resources, its network and every container. What a
 * killed charm-sim left of an earlier attempt is removed first (each process it started was
 * saved in the state the moment it existed).
 * @throws SimError `POD_FAILED`, `BAD_CHARM`.
 */
export async function provisionUnit(host: PodHost, app: AppState, unit: UnitState): Promise<void> {
  const bins = host.bins();
  const paths = new UnitPaths(host.stateDir, unit.name);
  await stopPod(bins, host.stateDir, host.model.bridge, unit);
  unit.containers = {};
  host.save();
  rmSync(paths.charm, { recursive: true, force: true });
  mkdirSync(paths.agent, { recursive: true });
  const source = join(host.stateDir, 'charms', `${app.name}-${app.charmRevision}`);
  writePlanned(planExtraction(readTree(source), source), paths.charm, source);
  for (const [res, file] of Object.entries(app.resources)) {
    const spec = app.charm.resources[res];
    if (spec?.type !== 'file' || !existsSync(file)) continue;
    const dest = join(paths.agent, 'resources', res, spec.filename ?? basename(file));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(file, dest);
  }
  host.progress(`starting pod for ${unit.name} (${unit.address})`);
  await startPod(bins, host.stateDir, host.model.bridge, app, unit, () => host.save());
  unit.provisioned = true;
  unit.agentStatus = status('idle');
  host.save();
}

/** Queues a unit's removal: departed on the units that saw it, then its own teardown hooks. */
export function queueRemoveUnit(model: ModelState, unit: UnitState): void {
  const unitName = unit.name;
  if (unit.dying) return;
  unit.dying = true;
  for (const rel of relationsOf(model, unit.app)) {
    for (const other of Object.keys(rel.members)) {
      if (other !== unitName && rel.members[other]?.includes(unitName)) {
        queueDeparted(model, rel, other, unitName, unitName);
      }
    }
  }
  enqueue(model, unitName, { hook: 'stop' });
  for (const rel of relationsOf(model, unit.app)) queueLeave(model, rel, unitName);
  for (const name of Object.keys(model.apps[unit.app]?.charm.storage ?? {})) {
    enqueue(model, unitName, { hook: `${name}-storage-detaching`, storageId: `${name}/0` });
  }
  enqueue(model, unitName, { hook: 'remove' });
  enqueue(model, unitName, { hook: '@teardown' });
}

/** Marks a relation dying and queues departed/broken on every unit that took part. */
export function breakRelation(model: ModelState, rel: JujuRelation): void {
  rel.dying = true;
  for (const end of rel.endpoints) {
    for (const unit of model.apps[end.app]?.units ?? []) {
      if (!rel.created.includes(unit)) continue;
      queueLeave(model, rel, unit);
    }
  }
}

/** Deletes an application that has no units left, with its peer relations. */
export function forgetApp(model: ModelState, name: string): void {
  const app = model.apps[name];
  if (!app || app.units.length > 0) return;
  for (const rel of Object.values(model.relations)) {
    if (rel.endpoints.every((e) => e.app === name)) delete model.relations[String(rel.id)];
  }
  delete model.apps[name];
}

/** The refresh step between stop and upgrade-charm: new charm files, restarted containers. */
export async function swapCharm(host: PodHost, app: AppState, unit: UnitState): Promise<void> {
  const bins = host.bins();
  const paths = new UnitPaths(host.stateDir, unit.name);
  if (app.pendingCharmDir) {
    // Over the unit's charm directory, where hooks may have left symlinks: never followed.
    const plan = planExtraction(readTree(app.pendingCharmDir), app.pendingCharmDir);
    overwritePlanned(plan, paths.charm, app.pendingCharmDir);
  }
  for (const name of Object.keys(unit.containers)) {
    await stopContainer(unit.containers[name], paths.root);
    // Kubernetes replaces the pod: a fresh writable layer and a fresh Pebble state.
    rmSync(paths.layer(name), { recursive: true, force: true });
    rmSync(join(paths.container(name), 'pebble'), { recursive: true, force: true });
  }
  unit.containers = {};
  for (const name of Object.keys(app.charm.containers)) {
    await startContainer(bins, paths, app, unit, name, (container) => {
      unit.containers[name] = container;
      host.save();
    });
  }
  host.progress(`${unit.name} now runs ${app.name} revision ${app.charmRevision}`);
}

/** After `remove`: stops the pod, forgets the unit, elects a new leader if it led. */
export async function teardown(host: PodHost, app: AppState, unit: UnitState): Promise<void> {
  await stopPod(host.bins(), host.stateDir, host.model.bridge, unit);
  rmSync(new UnitPaths(host.stateDir, unit.name).root, { recursive: true, force: true });
  delete host.model.units[unit.name];
  app.units = app.units.filter((u) => u !== unit.name);
  // Its relation data stays readable until the departed hooks that name it have run.
  for (const rel of Object.values(host.model.relations)) {
    delete rel.members[unit.name];
    rel.created = rel.created.filter((u) => u !== unit.name);
  }
  if (app.leader === unit.name) {
    delete app.leader;
    const next = app.units.find((u) => !host.model.units[u]?.dying);
    if (next) {
      app.leader = next;
      enqueue(host.model, next, { hook: 'leader-elected' });
      for (const other of app.units) {
        if (other !== next) enqueue(host.model, other, { hook: 'leader-settings-changed' });
      }
    }
  }
  if (app.dying && app.units.length === 0) forgetApp(host.model, app.name);
}
