/**
 * Concise builders for State: every field has a sensible default, so a test states only what
 * matters to it. Everything returned is frozen (deeply), so a test cannot edit a state in place.
 * @module
 */
import { newSecretId } from '@charm-ts/juju-model';
import type {
  ContainerState,
  DeferredState,
  PeerRelationState,
  RelationState,
  SecretState,
  State,
  StatusValue,
  StorageState,
} from './types.ts';

/** Freezes a value and everything in it (typed arrays excepted). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

let nextRelationId = 1;

/** A new relation id, unique within the test process. */
function relationId(): number {
  return nextRelationId++;
}

/** The status nobody has set yet. */
export const unknownStatus: StatusValue = deepFreeze({ status: 'unknown', message: '' });

/** Status values: `status.active()`, `status.blocked('need a db')`, … */
export const status = {
  active: (message = ''): StatusValue => deepFreeze({ status: 'active', message }),
  blocked: (message: string): StatusValue => deepFreeze({ status: 'blocked', message }),
  maintenance: (message: string): StatusValue => deepFreeze({ status: 'maintenance', message }),
  waiting: (message: string): StatusValue => deepFreeze({ status: 'waiting', message }),
  unknown: (): StatusValue => unknownStatus,
} as const;

/** A relation to `remoteApp` (default `remote`) with one remote unit (`remote/0`) unless told. */
export function relation(
  spec: Partial<Omit<RelationState, 'peer'>> & Pick<RelationState, 'endpoint'>,
): RelationState {
  return deepFreeze({
    id: relationId(),
    remoteApp: 'remote',
    localAppData: {},
    localUnitData: {},
    remoteAppData: {},
    remoteUnitsData: { 0: {} },
    ...spec,
  });
}

/** A peer relation with no other units unless `peersData` names them. */
export function peerRelation(
  spec: Partial<Omit<PeerRelationState, 'peer'>> & Pick<PeerRelationState, 'endpoint'>,
): PeerRelationState {
  return deepFreeze({
    id: relationId(),
    localAppData: {},
    localUnitData: {},
    peersData: {},
    ...spec,
    peer: true,
  });
}

/** A container whose Pebble answers (unless `canConnect: false`), empty otherwise. */
export function container(
  spec: Partial<ContainerState> & Pick<ContainerState, 'name'>,
): ContainerState {
  return deepFreeze({
    canConnect: true,
    layers: {},
    serviceStatuses: {},
    files: {},
    execs: {},
    checks: {},
    notices: [],
    ...spec,
  });
}

/** A secret; `content` is shorthand for a single revision 1. */
export function secret(
  spec: Partial<SecretState> & { content?: Readonly<Record<string, string>> },
): SecretState {
  const { content, ...rest } = spec;
  return deepFreeze({
    id: newSecretId(),
    revisions: content ? { 1: content } : {},
    grants: {},
    ...rest,
  });
}

/** A storage instance `name/index` mounted at `location` (default `/var/lib/juju/storage/<name>/<index>`). */
export function storage(spec: Partial<StorageState> & Pick<StorageState, 'name'>): StorageState {
  const index = spec.index ?? 0;
  return deepFreeze({
    index,
    location: `/var/lib/juju/storage/${spec.name}/${index}`,
    kind: 'filesystem',
    ...spec,
  });
}

/**
 * A deferred event for the observer `observer`: a Juju event (`hooks/config-changed#0`, with its
 * `env`) or a library event (`ingress-requirer[ingress]/ready#0`, with its payload `data`).
 */
export function deferred(spec: DeferredState): DeferredState {
  return deepFreeze('env' in spec ? { ...spec, env: { ...spec.env } } : { ...spec });
}

/** A State: defaults for everything not given (not leader, one planned unit, no relations). */
export function state(spec: Partial<State> = {}): State {
  return deepFreeze({
    config: {},
    leader: false,
    plannedUnits: 1,
    model: { name: 'test-model', uuid: '00000000-0000-4000-8000-000000000000' },
    relations: [],
    containers: [],
    secrets: [],
    storages: [],
    openedPorts: [],
    networks: {},
    resources: {},
    storedState: {},
    deferred: [],
    unitStatus: unknownStatus,
    appStatus: unknownStatus,
    workloadVersion: '',
    ...spec,
  });
}
