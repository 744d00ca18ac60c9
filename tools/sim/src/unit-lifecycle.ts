/**
 * A unit's life outside its hooks: creating its pod, queuing its removal, swapping its charm
 * on refresh, tearing it down and electing a new leader.
 * @module
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SimError } from './errors.ts';
import { enqueue, queueDeparted, queueLeave, queueSetup, relationsOf } from './events.ts';
import type { HookHost } from './hook-runner.ts';
import {
  type AppState,
  type ModelState,
  type RelationState,
  status,
  type UnitState,
} from './model.ts';
import { startContainer, startPod, stopContainer, stopPod, UnitPaths } from './pod.ts';

/** What unit lifecycle steps need from the simulator. */
export interface PodHost extends HookHost {
  progress(line: string): void;
}

/** Adds a unit to `app`: its pod, its charm copy and resources, and its setup hooks. */
export async function addUnit(host: PodHost, app: AppState): Promise<string> {
  const bins = host.bins();
  const name = `${app.name}/${app.nextUnit++}`;
  const podIndex = host.model.nextPodIndex++;
  if (podIndex > 250)
    throw new SimError('POD_FAILED', 'the simulator has room for 250 pods per state directory');
  const unit: UnitState = {
    name,
    app: app.name,
    workloadStatus: status('waiting', 'installing agent'),
    agentStatus: status('allocating'),
    queue: [],
    state: {},
    ports: [],
    address: `${host.model.subnet}.${podIndex + 2}`,
    netns: `${host.model.bridge}-${podIndex}`,
    podIndex,
    containers: {},
    installed: false,
    started: false,
  };
  host.model.units[name] = unit;
  app.units.push(name);
  app.leader ??= name;
  const paths = new UnitPaths(host.stateDir, name);
  mkdirSync(paths.agent, { recursive: true });
  cpSync(join(host.stateDir, 'charms', `${app.name}-${app.charmRevision}`), paths.charm, {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const [res, file] of Object.entries(app.resources)) {
    const spec = app.charm.resources[res];
    if (spec?.type !== 'file' || !existsSync(file)) continue;
    const dest = join(paths.agent, 'resources', res, spec.filename ?? basename(file));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(file, dest);
  }
  host.progress(`starting pod for ${name} (${unit.address})`);
  host.save();
  await startPod(bins, host.stateDir, host.model.bridge, host.model.subnet, app, unit);
  unit.agentStatus = status('idle');
  queueSetup(host.model, name);
  host.save();
  return name;
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
export function breakRelation(model: ModelState, rel: RelationState): void {
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
    cpSync(app.pendingCharmDir, paths.charm, {
      recursive: true,
      force: true,
      verbatimSymlinks: true,
    });
  }
  for (const name of Object.keys(unit.containers)) {
    await stopContainer(unit.containers[name]);
    // Kubernetes replaces the pod: a fresh writable layer and a fresh Pebble state.
    rmSync(paths.layer(name), { recursive: true, force: true });
    rmSync(join(paths.container(name), 'pebble'), { recursive: true, force: true });
  }
  unit.containers = {};
  for (const name of Object.keys(app.charm.containers)) {
    unit.containers[name] = await startContainer(bins, paths, app, unit, name);
  }
  host.progress(`${unit.name} now runs ${app.name} revision ${app.charmRevision}`);
}

/** After `remove`: stops the pod, forgets the unit, elects a new leader if it led. */
export async function teardown(host: PodHost, app: AppState, unit: UnitState): Promise<void> {
  await stopPod(host.bins(), host.model.bridge, unit);
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
