/**
 * State → World before a run, World → State after it (the commit Juju makes when a hook
 * exits 0): relation data, the runtime's stored state and deferred events, ports, storage,
 * secrets, statuses.
 * @module
 */
import { type CharmRuntimeMeta, type Port, STATE_KEY } from '@charm-ts/ops';
import { samePort } from '../hook-tools/memory-hook-tools.ts';
import {
  latestRevision,
  type World,
  type WorldAction,
  worldRelation,
  worldSecret,
} from '../hook-tools/world.ts';
import type {
  AnyRelation,
  DeferredState,
  OutputState,
  SecretState,
  State,
  StatusValue,
  StorageState,
} from '../state/types.ts';
import type { EventSpec } from './events.ts';

/** What `buildWorld` needs. */
export interface WorldInput {
  meta: CharmRuntimeMeta;
  state: State;
  event: EventSpec;
  unitName: string;
  appName: string;
  trusted: boolean;
  action: WorldAction | undefined;
}

function persistedStatus(value: StatusValue): StatusValue | undefined {
  return value.status === 'unknown' || value.status === 'error' ? undefined : value;
}

/** The config `config-get` answers: set values over charmcraft.yaml defaults. */
function resolveConfig(
  meta: CharmRuntimeMeta,
  state: State,
): Record<string, string | number | boolean> {
  const config: Record<string, string | number | boolean> = {};
  for (const [key, option] of Object.entries(meta.config)) {
    if (option.default !== undefined) config[key] = option.default;
  }
  return { ...config, ...state.config };
}

/** A World for running `event` against `state`. */
export function buildWorld(input: WorldInput): World {
  const { meta, state, event } = input;
  const jujuState = new Map<string, string>();
  const unit = persistedStatus(state.unitStatus);
  const app = persistedStatus(state.appStatus);
  const persisted = {
    v: 1,
    stored: state.storedState,
    deferred: state.deferred,
    status: { ...(unit ? { unit } : {}), ...(app ? { app } : {}) },
  };
  const empty = { stored: {}, deferred: [], status: {} };
  if (
    JSON.stringify({ ...persisted, v: undefined }) !== JSON.stringify({ v: undefined, ...empty })
  ) {
    jujuState.set(STATE_KEY, JSON.stringify(persisted));
  }
  return {
    unitName: input.unitName,
    appName: input.appName,
    meta,
    modelUuid: state.model.uuid,
    leader: state.leader,
    plannedUnits: state.plannedUnits,
    trusted: input.trusted,
    config: resolveConfig(meta, state),
    relations: new Map(state.relations.map((r) => [r.id, worldRelation(r, input.appName)])),
    brokenRelationId: event.broken ? event.relationId : undefined,
    departingUnit: event.departingUnit,
    secrets: new Map(state.secrets.map((s) => [worldSecret(s).id, worldSecret(s)])),
    removedSecretRevisions: [],
    storages: [...state.storages],
    currentStorage: event.storageId,
    storageAdds: {},
    openedPorts: state.openedPorts.map((p) => ({ ...p })),
    portChanges: [],
    networks: state.networks,
    resources: state.resources,
    jujuState,
    unitStatus: state.unitStatus,
    appStatus: state.appStatus,
    workloadVersion: state.workloadVersion,
    action: input.action,
    logs: [],
    unitStatusHistory: [],
    appStatusHistory: [],
    workloadVersionHistory: [],
    calls: [],
  };
}

function commitRelations(world: World, state: State): AnyRelation[] {
  return state.relations.map((input) => {
    const r = world.relations.get(input.id);
    if (!r) return input;
    const units = Object.fromEntries(
      [...r.remoteUnits].map(([name, bag]) => [Number(name.slice(name.lastIndexOf('/') + 1)), bag]),
    );
    if (input.peer) {
      return {
        ...input,
        localAppData: r.localAppData,
        localUnitData: r.localUnitData,
        peersData: units,
      };
    }
    return {
      ...input,
      localAppData: r.localAppData,
      localUnitData: r.localUnitData,
      remoteAppData: r.remoteAppData,
      remoteUnitsData: units,
    };
  });
}

function commitPorts(world: World): Port[] {
  const ports = [...world.openedPorts];
  for (const change of world.portChanges) {
    const at = ports.findIndex((p) => samePort(p, change.port));
    if (change.open && at < 0) ports.push(change.port);
    if (!change.open && at >= 0) ports.splice(at, 1);
  }
  return ports;
}

function commitStorages(world: World, meta: CharmRuntimeMeta): StorageState[] {
  const storages = [...world.storages];
  for (const [name, count] of Object.entries(world.storageAdds)) {
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

function commitSecrets(world: World, state: State): SecretState[] {
  return [...world.secrets.values()].map((s) => {
    const input = state.secrets.find((x) => x.id === s.id);
    const out: SecretState = {
      id: input?.id ?? s.id,
      revisions: Object.fromEntries(s.revisions),
      trackedRevision: s.tracked || latestRevision(s),
      grants: Object.fromEntries([...s.grants].map(([rel, names]) => [rel, [...names]])),
      ...(s.owner ? { owner: s.owner } : {}),
      ...(s.label !== undefined ? { label: s.label } : {}),
      ...(s.description !== undefined ? { description: s.description } : {}),
      ...(s.expire !== undefined ? { expire: s.expire } : {}),
      ...(s.rotate !== undefined ? { rotate: s.rotate } : {}),
    };
    return out;
  });
}

/** The State after a successful dispatch (containers are read separately). */
export function commitWorld(
  world: World,
  state: State,
  meta: CharmRuntimeMeta,
): Omit<OutputState, 'containers'> {
  const raw = world.jujuState.get(STATE_KEY);
  const persisted = raw
    ? (JSON.parse(raw) as { stored?: Record<string, unknown>; deferred?: DeferredState[] })
    : {};
  const { containers: _containers, ...rest } = state;
  return {
    ...rest,
    relations: commitRelations(world, state),
    secrets: commitSecrets(world, state),
    storages: commitStorages(world, meta),
    openedPorts: commitPorts(world),
    storedState: persisted.stored ?? {},
    deferred: persisted.deferred ?? [],
    unitStatus: world.unitStatus,
    appStatus: world.appStatus,
    workloadVersion: world.workloadVersion,
  };
}
