/**
 * Queueing hooks in Juju's orders (reference §5): unit setup, relation lifecycles, departures.
 * Pure functions over the model; the scheduler runs what they queue.
 * @module
 */
import type { JujuRelation } from '@charm-ts/juju-model';
import type { ModelState, QueuedHook } from './model.ts';

// Hooks Juju coalesces: queuing one that is already waiting adds nothing.
const COALESCED =
  /(-relation-changed|^config-changed|^update-status|^leader-settings-changed|^secret-changed)$/;

/** Queues `hook` on `unit`, unless an identical coalescable hook is already waiting. */
export function enqueue(model: ModelState, unit: string, hook: QueuedHook): void {
  const target = model.units[unit];
  if (!target) return;
  if (COALESCED.test(hook.hook)) {
    const same = JSON.stringify(hook);
    if (target.queue.some((q) => JSON.stringify(q) === same)) return;
  }
  target.queue.push(hook);
}

/** The endpoint `app` uses in `rel`. */
export function endpointOf(rel: JujuRelation, app: string): string {
  return rel.endpoints.find((e) => e.app === app)?.endpoint ?? '';
}

/** The app at the other end of `rel` from `app` (itself for a peer relation). */
export function otherApp(rel: JujuRelation, app: string): string {
  return (rel.endpoints.find((e) => e.app !== app) ?? rel.endpoints[0])?.app ?? app;
}

/** Units on the other side of `rel` from `unit` (other peers for a peer relation). */
export function remoteUnits(model: ModelState, rel: JujuRelation, unit: string): string[] {
  const app = unit.split('/')[0] as string;
  const other = otherApp(rel, app);
  return (model.apps[other]?.units ?? []).filter((u) => u !== unit && !model.units[u]?.dying);
}

/** Relations `app` takes part in. */
export function relationsOf(model: ModelState, app: string): JujuRelation[] {
  return Object.values(model.relations).filter(
    (rel) => !rel.dying && rel.endpoints.some((e) => e.app === app),
  );
}

/** Queues `<ep>-relation-created` on `unit` for `rel`. */
export function queueCreated(model: ModelState, rel: JujuRelation, unit: string): void {
  const app = unit.split('/')[0] as string;
  // The unit enters the relation's scope: its bag exists from now on (Juju's EnterScope).
  rel.unitData[unit] ??= {};
  enqueue(model, unit, {
    hook: `${endpointOf(rel, app)}-relation-created`,
    relationId: rel.id,
    remoteApp: otherApp(rel, app),
  });
}

/** Queues joined then changed on `unit` for remote unit `remote`. */
export function queueJoined(
  model: ModelState,
  rel: JujuRelation,
  unit: string,
  remote: string,
): void {
  const app = unit.split('/')[0] as string;
  const endpoint = endpointOf(rel, app);
  const base = {
    relationId: rel.id,
    remoteUnit: remote,
    remoteApp: remote.split('/')[0] as string,
  };
  enqueue(model, unit, { hook: `${endpoint}-relation-joined`, ...base });
  enqueue(model, unit, { hook: `${endpoint}-relation-changed`, ...base });
}

/** Queues departed on `unit` because `departing` leaves `rel`. */
export function queueDeparted(
  model: ModelState,
  rel: JujuRelation,
  unit: string,
  remote: string,
  departing: string,
): void {
  const app = unit.split('/')[0] as string;
  enqueue(model, unit, {
    hook: `${endpointOf(rel, app)}-relation-departed`,
    relationId: rel.id,
    remoteUnit: remote,
    remoteApp: remote.split('/')[0] as string,
    departingUnit: departing,
  });
}

/** Queues the departure of `unit` from `rel` on itself: departed per member, then broken. */
export function queueLeave(model: ModelState, rel: JujuRelation, unit: string): void {
  const app = unit.split('/')[0] as string;
  for (const remote of rel.members[unit] ?? []) queueDeparted(model, rel, unit, remote, unit);
  if (rel.endpoints.length > 1 || model.units[unit]?.dying) {
    enqueue(model, unit, {
      hook: `${endpointOf(rel, app)}-relation-broken`,
      relationId: rel.id,
      remoteApp: otherApp(rel, app),
    });
  }
}

/**
 * Queues a new unit's setup: install → relation-created (each relation) → leader-elected or
 * leader-settings-changed → config-changed → start → storage-attached; then the joins both ways.
 */
export function queueSetup(model: ModelState, unit: string): void {
  const app = model.apps[unit.split('/')[0] as string];
  if (!app) return;
  enqueue(model, unit, { hook: 'install' });
  const rels = relationsOf(model, app.name);
  for (const rel of rels) queueCreated(model, rel, unit);
  enqueue(model, unit, {
    hook: app.leader === unit ? 'leader-elected' : 'leader-settings-changed',
  });
  enqueue(model, unit, { hook: 'config-changed' });
  enqueue(model, unit, { hook: 'start' });
  for (const name of Object.keys(app.charm.storage)) {
    enqueue(model, unit, { hook: `${name}-storage-attached`, storageId: `${name}/0` });
  }
  for (const rel of rels) {
    for (const remote of remoteUnits(model, rel, unit)) {
      queueJoined(model, rel, unit, remote);
      queueJoined(model, rel, remote, unit);
    }
  }
}
