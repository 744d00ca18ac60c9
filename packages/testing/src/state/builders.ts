/**
 * Concise builders for State: every field has a sensible default, so a test states only what
 * matters to it. Everything returned is frozen (deeply), so a test cannot edit a state in place.
 * @module
 */
import { newSecretId } from '@charm-ts/juju-model';
import type { EventSpec } from '../context/events.ts';
import type {
  ContainerState,
  DeferredState,
  PeerRelationState,
  RelationState,
  SecretState,
  State,
  StatusValue,
  StorageState,
  SubordinateRelationState,
} from './types.ts';

/** The address of the unit under test (its default network's), from TEST-NET-1. */
export const UNIT_ADDRESS = '192.0.2.0';
/** The subnet of that address. */
export const UNIT_SUBNET = '192.0.2.0/24';

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

/**
 * A subordinate's relation to its principal `remoteApp` (default `remote`), unit `remoteUnit`
 * (default 0), on an endpoint with `scope: container`. The principal unit's bag holds what Juju
 * puts there (its `private-address`, `ingress-address` and `egress-subnets`: a subordinate
 * shares its principal's pod, so this unit's addresses) unless `remoteUnitData` is given.
 */
export function subordinateRelation(
  spec: Partial<Omit<SubordinateRelationState, 'subordinate' | 'peer'>> &
    Pick<SubordinateRelationState, 'endpoint'>,
): SubordinateRelationState {
  return deepFreeze({
    id: relationId(),
    remoteApp: 'remote',
    remoteUnit: 0,
    localAppData: {},
    localUnitData: {},
    remoteAppData: {},
    remoteUnitData: {
      'egress-subnets': UNIT_SUBNET,
      'ingress-address': UNIT_ADDRESS,
      'private-address': UNIT_ADDRESS,
    },
    ...spec,
    subordinate: true,
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
 * A deferred event, as the runtime queues it. Either whole, for the observer `observer`: a Juju
 * event (`{ hook: 'hooks/config-changed', observer: 'hooks/config-changed#onConfigChanged', env }`)
 * or a library event (`{ event: 'ingress-requirer[ingress]/ready', observer, data }`, its
 * payload as JSON); or from a Juju event and the observer's handler:
 * `deferred(ctx.on.configChanged(), 'onConfigChanged')` (a library's handler:
 * `'#onLeader@ingress-requirer[ingress]'`; see @charm-ts/ops on observer ids).
 */
export function deferred(spec: DeferredState): DeferredState;
export function deferred(event: EventSpec, handler: string): DeferredState;
export function deferred(spec: DeferredState | EventSpec, handler?: string): DeferredState {
  if ('path' in spec) {
    if (spec.library || handler === undefined) {
      throw new TypeError(
        'deferred(event, handler) takes a Juju event and a handler name; give a library event whole: deferred({ event, observer, data })',
      );
    }
    return deepFreeze({
      hook: spec.path,
      observer: `${spec.path}#${handler}`,
      env: { ...spec.env },
    });
  }
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
