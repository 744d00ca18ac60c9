/**
 * World → State after a successful run: what Juju commits when a hook exits 0 (this unit's
 * relation bags, the runtime's stored state and deferred events, ports, storage, secrets), and
 * the statuses and workload version, which took effect at once.
 * @module
 */
import { type JujuSecret, latestRevision, portFromText } from '@charm-ts/juju-model';
import { type CharmRuntimeMeta, type Port, STATE_KEY } from '@charm-ts/ops';
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

// What did not change is handed back as the (frozen) input: the output is frozen too, and
// freezing it again costs every test run.

function statusValue(s: { status: string; message: string }, input: StatusValue): StatusValue {
  if (s === input || (s.status === input.status && s.message === input.message)) return input;
  return { status: s.status as StatusValue['status'], message: s.message };
}

function sameBag(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Only this unit's bags can change: the rest of each relation is the input's. */
function commitRelations(world: World, state: State): readonly AnyRelation[] {
  const { app, unit, draft } = world.context;
  let changed = false;
  const out = state.relations.map((input) => {
    const r = draft.relations[String(input.id)];
    const appBag = r?.appData[app.name] ?? {};
    const unitBag = r?.unitData[unit.name] ?? {};
    if (!r || (sameBag(appBag, input.localAppData) && sameBag(unitBag, input.localUnitData))) {
      return input;
    }
    changed = true;
    return { ...input, localAppData: appBag, localUnitData: unitBag };
  });
  return changed ? out : state.relations;
}

function commitPorts(world: World, state: State): readonly Port[] {
  const { unit, draft } = world.context;
  const same =
    draft.ports.length === unit.ports.length && draft.ports.every((p, i) => p === unit.ports[i]);
  return same ? state.openedPorts : draft.ports.map(portFromText);
}

function commitStorages(
  world: World,
  meta: CharmRuntimeMeta,
  state: State,
): readonly StorageState[] {
  if (Object.keys(world.context.draft.storageAdds).length === 0) return state.storages;
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

function commitSecrets(world: World, state: State): readonly SecretState[] {
  if (state.secrets.length === 0 && Object.keys(world.context.draft.secrets).length === 0) {
    return state.secrets;
  }
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
    openedPorts: commitPorts(world, state),
    storedState: persisted.stored ?? {},
    deferred: persisted.deferred ?? [],
    unitStatus: statusValue(unit.workloadStatus, state.unitStatus),
    appStatus: app.status ? statusValue(app.status, state.appStatus) : state.appStatus,
    workloadVersion: app.version,
  };
}
