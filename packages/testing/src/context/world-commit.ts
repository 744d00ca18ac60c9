/**
 * World → State after a successful run: what Juju commits when a hook exits 0 (this unit's
 * relation bags, the runtime's stored state and deferred events, ports, storage, secrets), and
 * the statuses and workload version, which took effect at once.
 * @module
 */
import { type JujuSecret, latestRevision, portFromText } from '@charm-ts/juju-model';
import { type CharmRuntimeMeta, STATE_KEY } from '@charm-ts/ops';
import type { World } from '../hook-tools/world.ts';
import type {
  AnyRelation,
  DeferredState,
  OutputState,
  SecretState,
  State,
  StatusValue,
  StorageState,
} from '../state/types.ts';
import { VISIBLE_GRANT } from './world-build.ts';

function statusValue(s: { status: string; message: string }): StatusValue {
  return { status: s.status as StatusValue['status'], message: s.message };
}

/** Only this unit's bags can change: the rest of each relation is the input's. */
function commitRelations(world: World, state: State): AnyRelation[] {
  const { app, unit, draft } = world.context;
  return state.relations.map((input) => {
    const r = draft.relations[String(input.id)];
    if (!r) return input;
    return {
      ...input,
      localAppData: r.appData[app.name] ?? {},
      localUnitData: r.unitData[unit.name] ?? {},
    };
  });
}

function commitStorages(world: World, meta: CharmRuntimeMeta, state: State): StorageState[] {
  const storages = [...state.storages];
  for (const [name, count] of Object.entries(world.context.draft.storageAdds)) {
    const kind =
      (meta.storage[name] as { type?: string } | undefined)?.type === 'block'
        ? 'block'
        : 'filesystem';
    for (let i = 0; i < count; i++) {
      const index =
        Math.max(-1, ...storages.filter((s) => s.name === name).map((s) => s.index)) + 1;
      storages.push({ name, index, kind, location: `/var/lib/juju/storage/${name}/${index}` });
    }
  }
  return storages;
}

function stateSecret(world: World, input: SecretState | undefined, s: JujuSecret): SecretState {
  const { app, unit } = world.context;
  const owner =
    s.ownerKind === 'unit'
      ? s.owner === unit.name
        ? 'unit'
        : undefined
      : s.owner === app.name
        ? 'app'
        : undefined;
  const grants: Record<number, string[]> = {};
  for (const g of s.grants) {
    if (g.relationId === VISIBLE_GRANT) continue;
    const names = grants[g.relationId] ?? [];
    grants[g.relationId] = [...names, g.subject];
  }
  const consumer = s.consumers[unit.name];
  const label = owner ? s.label : consumer?.label;
  return {
    id: input?.id ?? s.id,
    revisions: Object.fromEntries(s.revisions.map((r) => [r.revision, r.content])),
    trackedRevision: consumer?.revision || latestRevision(s),
    grants,
    ...(owner ? { owner } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.expire !== undefined ? { expire: s.expire } : {}),
    ...(s.rotate !== undefined ? { rotate: s.rotate as SecretState['rotate'] } : {}),
  };
}

function commitSecrets(world: World, state: State): SecretState[] {
  return Object.values(world.context.draft.secrets).map((s) =>
    stateSecret(
      world,
      state.secrets.find((x) => x.id === s.id || `secret:${x.id}` === s.id),
      s,
    ),
  );
}

/** The State after a successful dispatch (containers are read separately). */
export function commitWorld(
  world: World,
  state: State,
  meta: CharmRuntimeMeta,
): Omit<OutputState, 'containers'> {
  const { app, unit, draft } = world.context;
  const raw = draft.state[STATE_KEY];
  const persisted = raw
    ? (JSON.parse(raw) as { stored?: Record<string, unknown>; deferred?: DeferredState[] })
    : {};
  const { containers: _containers, ...rest } = state;
  return {
    ...rest,
    relations: commitRelations(world, state),
    secrets: commitSecrets(world, state),
    storages: commitStorages(world, meta, state),
    openedPorts: draft.ports.map(portFromText),
    storedState: persisted.stored ?? {},
    deferred: persisted.deferred ?? [],
    unitStatus: statusValue(unit.workloadStatus),
    appStatus: app.status ? statusValue(app.status) : state.appStatus,
    workloadVersion: app.version,
  };
}
