/**
 * Putting a charm into the model: `deploy` (unpack, check, create the application, its peer
 * relations, the model's network, the units and their pods, then the setup hooks) and
 * `refresh` (a new revision of the same charm and the upgrade sequence). A charm is unpacked
 * into a staging directory first, so nothing is left behind when it is refused.
 * @module
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JujuRelation } from '@charm-ts/juju-model';
import { type CharmInfo, unpackCharm } from './charm.ts';
import { type CommandHost, findApp } from './command-host.ts';
import { parseConfigArgs } from './config.ts';
import { SimError } from './errors.ts';
import { enqueue, queueCreated, queueJoined } from './events.ts';
import type { AppState, ModelState, UnitState } from './model.ts';
import { bridgeExists, ensureBridge, freeSubnet, withNetworkLock } from './network.ts';
import { pausePoint } from './pause.ts';
import { addUnit, checkPodRoom, provisionUnit } from './unit-lifecycle.ts';

/** Options for {@link Simulator.deploy}. */
export interface DeployOptions {
  readonly app?: string;
  readonly config?: readonly string[];
  readonly resources?: Record<string, string>;
  readonly units?: number;
  /**
   * Optional: what `juju deploy --trust` asks for, recorded (and shown by `juju config`); the
   * charm still gets no cloud credentials (credential-get is denied).
   */
  readonly trust?: boolean;
  /**
   * Optional: refuse a charm whose `oci-image` resources are not all given, as `juju deploy`
   * of a local charm does. Default false (charm-sim records images, it does not pull them).
   */
  readonly requireImages?: boolean;
}

/**
 * Deploys a packed charm: unpack, create pods, run the setup hooks.
 * @throws SimError `BAD_CHARM`, `BAD_ARGUMENT`, `APP_EXISTS`, `UNKNOWN_KEY`,
 * `BAD_CONFIG_VALUE`, `MISSING_BINARY`, `POD_FAILED`.
 */
export async function deploy(
  host: CommandHost,
  charmFile: string,
  options: DeployOptions = {},
): Promise<void> {
  const bins = host.bins();
  const { model } = host;
  const units = options.units ?? 1;
  if (!Number.isInteger(units) || units < 0) {
    throw new SimError(
      'BAD_ARGUMENT',
      `-n expects a whole number ≥ 0 of units, got ${String(options.units)}`,
    );
  }
  checkPodRoom(model, units);
  let name = '';
  let config: Record<string, unknown> = {};
  const charm = unpackStaged(host.stateDir, charmFile, (unpacked) => {
    name = options.app ?? unpacked.name;
    checkNewApp(model, name);
    config = parseConfigArgs(name, unpacked.config, options.config ?? []);
    checkResources(unpacked, options.resources ?? {}, options.requireImages ?? false);
    return join(host.stateDir, 'charms', `${name}-1`);
  });
  pausePoint('unpacked');
  const app: AppState = {
    name,
    charmFile: resolve(charmFile),
    charmRevision: 1,
    charm,
    config,
    resources: { ...(options.resources ?? {}) },
    units: [],
    nextUnit: 0,
    version: '',
    leaderSettings: {},
    ...(options.trust ? { trust: true } : {}),
  };
  model.apps[name] = app;
  addPeerRelations(model, app);
  withNetworkLock(() => {
    if (Object.keys(model.units).length === 0 && !bridgeExists(bins.ip, model.bridge)) {
      model.subnet = freeSubnet(bins.ip, model.subnet);
    }
    ensureBridge(bins.ip, model.bridge, model.subnet);
  });
  // The units and their setup hooks are in the state before any pod exists: a charm-sim
  // killed from here on leaves units the next command provisions and runs.
  const added: UnitState[] = [];
  for (let i = 0; i < units; i++) added.push(addUnit(model, app));
  host.save();
  pausePoint('app-saved');
  for (const unit of added) await provisionUnit(host, app, unit);
  await host.settle();
}

/**
 * Upgrades an application to a new charm: stop → (new charm, restarted workload containers)
 * → upgrade-charm → config-changed → leader-settings-changed (non-leaders) → start →
 * pebble-ready.
 * @throws SimError `UNKNOWN_APP`, `BAD_CHARM`.
 */
export async function refresh(
  host: CommandHost,
  appName: string,
  charmFile: string,
): Promise<void> {
  const { model } = host;
  const app = findApp(model, appName);
  const revision = app.charmRevision + 1;
  const dir = join(host.stateDir, 'charms', `${appName}-${revision}`);
  const charm = unpackStaged(host.stateDir, charmFile, (unpacked) => {
    if (unpacked.name !== app.charm.name) {
      throw new SimError(
        'BAD_CHARM',
        `cannot refresh ${appName} (charm ${app.charm.name}) to charm ${unpacked.name}: refresh to a build of the same charm, or deploy it as a new application`,
      );
    }
    return dir;
  });
  app.charm = charm;
  app.charmFile = resolve(charmFile);
  app.charmRevision = revision;
  app.pendingCharmDir = dir;
  for (const unit of app.units) {
    enqueue(model, unit, { hook: 'stop' });
    enqueue(model, unit, { hook: '@swap-charm' });
    enqueue(model, unit, { hook: 'upgrade-charm' });
    enqueue(model, unit, { hook: 'config-changed' });
    if (app.leader !== unit) enqueue(model, unit, { hook: 'leader-settings-changed' });
    enqueue(model, unit, { hook: 'start' });
  }
  // Juju creates the relation of a peer endpoint the new revision declares: relation-created on
  // every unit once it runs that revision, then the units join each other.
  for (const rel of addPeerRelations(model, app)) {
    for (const unit of app.units) queueCreated(model, rel, unit);
    for (const unit of app.units) {
      for (const remote of app.units) if (remote !== unit) queueJoined(model, rel, unit, remote);
    }
  }
  await host.settle();
}

function checkNewApp(model: ModelState, name: string): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/.test(name)) {
    throw new SimError(
      'BAD_ARGUMENT',
      `invalid application name "${name}": use lowercase letters, digits and hyphens`,
    );
  }
  if (model.apps[name]) {
    throw new SimError(
      'APP_EXISTS',
      `application ${name} already exists: pick another name with charm-sim deploy FILE NAME, or charm-sim remove-application ${name}`,
    );
  }
}

function checkResources(
  charm: CharmInfo,
  resources: Record<string, string>,
  requireImages: boolean,
): void {
  for (const res of Object.keys(resources)) {
    if (!charm.resources[res]) {
      const known = Object.keys(charm.resources).join(', ') || '(none)';
      throw new SimError(
        'UNKNOWN_KEY',
        `charm ${charm.name} has no resource "${res}": known resources: ${known}`,
      );
    }
  }
  if (!requireImages) return;
  const missing = Object.entries(charm.resources)
    .filter(([name, spec]) => spec.type === 'oci-image' && !(name in resources))
    .map(([name]) => name)
    .sort();
  if (missing.length) {
    throw new SimError('BAD_ARGUMENT', `local charm missing OCI images for: ${missing.join(', ')}`);
  }
}

/**
 * A peer endpoint is a relation of the application with itself from the start; one the
 * application does not have yet (a refresh to a revision that declares a new one) is made too.
 * Returns the relations made.
 */
function addPeerRelations(model: ModelState, app: AppState): JujuRelation[] {
  const made: JujuRelation[] = [];
  for (const [endpoint, spec] of Object.entries(app.charm.endpoints.peers)) {
    const exists = Object.values(model.relations).some(
      (rel) =>
        !rel.dying &&
        rel.endpoints.length === 1 &&
        rel.endpoints[0]?.app === app.name &&
        rel.endpoints[0]?.endpoint === endpoint,
    );
    if (exists) continue;
    const id = model.nextRelationId++;
    model.relations[String(id)] = {
      id,
      interface: spec.interface,
      endpoints: [{ app: app.name, endpoint }],
      appData: { [app.name]: {} },
      unitData: {},
      members: {},
      created: [],
    };
    made.push(model.relations[String(id)] as JujuRelation);
  }
  return made;
}

/**
 * Unpacks `charmFile` into a staging directory and hands its metadata to `check`, which
 * returns where the charm goes (or throws); only then is it moved there. Nothing is left
 * behind when unpacking or `check` fails; staging directories a killed charm-sim left go.
 */
function unpackStaged(
  stateDir: string,
  charmFile: string,
  check: (charm: CharmInfo) => string,
): CharmInfo {
  const charms = join(stateDir, 'charms');
  mkdirSync(charms, { recursive: true });
  // The state-dir lock is ours: any staging directory here was left by a killed process.
  for (const name of readdirSync(charms)) {
    if (name.startsWith('.staging-')) rmSync(join(charms, name), { recursive: true, force: true });
  }
  const staging = join(charms, `.staging-${randomUUID()}`);
  try {
    const charm = unpackCharm(resolve(charmFile), staging);
    const dest = check(charm);
    rmSync(dest, { recursive: true, force: true });
    renameSync(staging, dest);
    return charm;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
