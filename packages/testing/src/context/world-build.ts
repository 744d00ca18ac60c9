/**
 * State → World before a run: the Juju model the test's State describes, seen from the unit
 * under test (its application, the remote applications and units of its relations, the secrets
 * it owns or was granted), and the host that answers what only the test knows (networks,
 * storage, resources, trust).
 * @module
 */
import {
  CREDENTIAL_DENIED,
  HookContext,
  type HookHost,
  type HookInfo,
  type JujuApp,
  type JujuModel,
  type JujuRelation,
  type JujuSecret,
  newSecretId,
  portText,
  type RunningAction,
  resourceNotFound,
  runError,
  type SecretConsumer,
} from '@charm-ts/juju-model';
import {
  type CharmRuntimeMeta,
  type EndpointRole,
  type NetworkInfo,
  STATE_KEY,
} from '@charm-ts/ops';
import type { World } from '../hook-tools/world.ts';
import { UNIT_ADDRESS, UNIT_SUBNET } from '../state/builders.ts';
import { remoteAppOf, remoteUnitBags } from '../state/relation-units.ts';
import type { AnyRelation, SecretState, State, StatusValue } from '../state/types.ts';
import type { EventSpec } from './events.ts';

/** What `buildWorld` needs. */
export interface WorldInput {
  meta: CharmRuntimeMeta;
  state: State;
  event: EventSpec;
  unitName: string;
  appName: string;
  trusted: boolean;
  action: RunningAction | undefined;
}

/** Grants that make another application's secret in the State visible to this unit. */
export const VISIBLE_GRANT = -1;

/** The default network of a binding, as Juju reports a pod's. */
export function defaultNetwork(): NetworkInfo {
  return {
    bindAddresses: [
      {
        macAddress: '',
        interfaceName: 'eth0',
        addresses: [{ hostname: '', value: UNIT_ADDRESS, cidr: UNIT_SUBNET }],
      },
    ],
    egressSubnets: [UNIT_SUBNET],
    ingressAddresses: [UNIT_ADDRESS],
  };
}

const COUNTERPART: Record<EndpointRole, EndpointRole> = {
  requires: 'provides',
  provides: 'requires',
  peers: 'peers',
};

function roleOf(meta: CharmRuntimeMeta, endpoint: string): EndpointRole {
  return (
    (['requires', 'provides', 'peers'] as const).find((r) => endpoint in meta.endpoints[r]) ??
    'requires'
  );
}

function persistedStatus(value: StatusValue): StatusValue | undefined {
  return value.status === 'unknown' || value.status === 'error' ? undefined : value;
}

/** Juju's per-unit state store, holding the runtime's stored state and deferred events. */
function jujuState(state: State): Record<string, string> {
  const unit = persistedStatus(state.unitStatus);
  const app = persistedStatus(state.appStatus);
  const status = { ...(unit ? { unit } : {}), ...(app ? { app } : {}) };
  if (
    Object.keys(state.storedState).length === 0 &&
    state.deferred.length === 0 &&
    Object.keys(status).length === 0
  ) {
    return {};
  }
  const persisted = { v: 1, stored: state.storedState, deferred: state.deferred, status };
  return { [STATE_KEY]: JSON.stringify(persisted) };
}

function remoteApp(model: JujuModel, name: string, endpoint: string, role: EndpointRole): JujuApp {
  const app = model.apps[name] ?? {
    name,
    charm: { endpoints: { requires: {}, provides: {}, peers: {} }, config: {}, storage: {} },
    config: {},
    units: [],
    version: '',
    leaderSettings: {},
  };
  model.apps[name] = app;
  (app.charm.endpoints[role] as Record<string, { interface: string }>)[endpoint] = {
    interface: '',
  };
  return app;
}

/** `name → bag` copies of the remote (or peer) units' bags, skipping `except`. */
function unitBags(
  app: string,
  bags: Readonly<Record<number, Readonly<Record<string, string>>>>,
  except: string,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const [n, bag] of Object.entries(bags)) {
    const name = `${app}/${n}`;
    if (name !== except) out.set(name, { ...bag });
  }
  return out;
}

// Built by assignment: object literals that mix spreads and computed keys are slow in V8, and
// this runs for every relation of every test run.
function modelRelation(model: JujuModel, input: WorldInput, relation: AnyRelation): JujuRelation {
  const { appName, unitName, meta, event } = input;
  const role = roleOf(meta, relation.endpoint);
  const remote = remoteAppOf(relation, appName);
  const units = unitBags(remote, remoteUnitBags(relation), unitName);
  const rel: JujuRelation = {
    id: relation.id,
    interface: meta.endpoints[role][relation.endpoint]?.interface ?? '',
    endpoints: [{ app: appName, endpoint: relation.endpoint }],
    appData: {},
    unitData: {},
    members: {},
    created: [unitName],
  };
  rel.appData[appName] = { ...relation.localAppData };
  for (const [name, bag] of units) rel.unitData[name] = bag;
  rel.unitData[unitName] = { ...relation.localUnitData };
  rel.members[unitName] = [...units.keys()];
  if (relation.peer) return rel;
  const remoteEndpoint = relation.remoteEndpoint ?? relation.endpoint;
  rel.endpoints.push({ app: remote, endpoint: remoteEndpoint });
  rel.appData[remote] = { ...relation.remoteAppData };
  const app = remoteApp(model, remote, remoteEndpoint, COUNTERPART[role]);
  for (const name of units.keys()) if (!app.units.includes(name)) app.units.push(name);
  // On relation-broken every remote unit has departed: the relation is dying and empty.
  if (event.broken === true && event.relationId === relation.id) {
    rel.dying = true;
    rel.members[unitName] = [];
  }
  if (relation.remoteModelUuid) rel.remoteModelUuid = relation.remoteModelUuid;
  return rel;
}

/** A State secret as the model holds it; another application's is granted to this one. */
export function modelSecret(secret: SecretState, appName: string, unitName: string): JujuSecret {
  const revisions = Object.entries(secret.revisions).map(([rev, content]) => ({
    revision: Number(rev),
    content: { ...content },
  }));
  const latest = Math.max(0, ...revisions.map((r) => r.revision));
  const owned = secret.owner !== undefined;
  const grants = Object.entries(secret.grants).flatMap(([rel, names]) =>
    names.map((subject) => ({ relationId: Number(rel), subject })),
  );
  if (!owned) grants.push({ relationId: VISIBLE_GRANT, subject: appName });
  const out: JujuSecret = {
    id: secret.id.startsWith('secret:') ? secret.id : `secret:${secret.id}`,
    ownerKind: secret.owner === 'unit' ? 'unit' : 'application',
    owner: secret.owner === 'unit' ? unitName : secret.owner === 'app' ? appName : '',
    revisions,
    grants,
    consumers: {},
  };
  const consumer: SecretConsumer = { revision: secret.trackedRevision ?? latest };
  if (!owned && secret.label) consumer.label = secret.label;
  out.consumers[unitName] = consumer;
  if (owned && secret.label !== undefined) out.label = secret.label;
  if (secret.description !== undefined) out.description = secret.description;
  if (secret.expire !== undefined) out.expire = secret.expire;
  if (secret.rotate !== undefined) out.rotate = secret.rotate;
  return out;
}

function host(input: WorldInput, world: World): HookHost {
  const { state, trusted } = input;
  const status = (s: { status: string; message: string }) =>
    ({ status: s.status, message: s.message }) as StatusValue;
  return {
    now: () => Date.now(),
    log: (level, message) => world.logs.push({ level: level as 'INFO', message }),
    changed: (what) => {
      const app = world.context.app;
      if (what === 'unit-status')
        world.unitStatusHistory.push(status(world.context.unit.workloadStatus));
      if (what === 'app-status' && app.status) world.appStatusHistory.push(status(app.status));
      if (what === 'version') world.workloadVersionHistory.push(app.version);
    },
    network: (binding) => structuredClone(state.networks[binding] ?? defaultNetwork()),
    // A CharmMeta knows the extra bindings; with typegen's runtime meta, the State's networks
    // stand for them (the consistency check cannot tell either).
    extraBindings:
      'extraBindings' in input.meta
        ? (input.meta.extraBindings as string[])
        : Object.keys(state.networks),
    storage: () =>
      state.storages.map((s) => ({
        id: `${s.name}/${s.index}`,
        kind: s.kind,
        location: s.location,
      })),
    resource: (name) => {
      const path = state.resources[name];
      if (path === undefined) throw runError(resourceNotFound(input.appName, name));
      return path;
    },
    credential: () => {
      if (!trusted) throw runError(CREDENTIAL_DENIED);
      return {
        type: 'kubernetes',
        name: 'k8s',
        endpoint: 'https://192.0.2.1:6443',
        credential: {},
      };
    },
    newSecretId,
  };
}

/** A World for running `input.event` against `input.state`. */
export function buildWorld(input: WorldInput): World {
  const { meta, state, unitName, appName } = input;
  const units = Array.from({ length: state.plannedUnits }, (_, i) => `${appName}/${i}`);
  if (!units.includes(unitName)) units.push(unitName);
  const model: JujuModel = {
    uuid: state.model.uuid,
    name: state.model.name,
    apps: {},
    units: {},
    relations: {},
    secrets: {},
  };
  const app: JujuApp = {
    name: appName,
    charm: meta,
    config: { ...state.config },
    units,
    status: state.appStatus,
    version: state.workloadVersion,
    leaderSettings: {},
  };
  if (state.leader) app.leader = unitName;
  model.apps[appName] = app;
  // Statuses are replaced, never changed in place: the State's frozen ones serve as they are.
  model.units[unitName] = {
    name: unitName,
    app: appName,
    workloadStatus: state.unitStatus,
    state: jujuState(state),
    ports: state.openedPorts.map(portText),
    address: UNIT_ADDRESS,
  };
  for (const relation of state.relations) {
    model.relations[String(relation.id)] = modelRelation(model, input, relation);
  }
  for (const secret of state.secrets) {
    const s = modelSecret(secret, appName, unitName);
    model.secrets[s.id] = s;
  }
  const event = input.event;
  const hook = event.path.startsWith('hooks/')
    ? {
        hook: event.path.slice(6),
        ...(event.relationId !== undefined ? { relationId: event.relationId } : {}),
        ...(event.env.JUJU_REMOTE_UNIT ? { remoteUnit: event.env.JUJU_REMOTE_UNIT } : {}),
        ...(event.env.JUJU_REMOTE_APP ? { remoteApp: event.env.JUJU_REMOTE_APP } : {}),
        ...(event.departingUnit ? { departingUnit: event.departingUnit } : {}),
        ...(event.storageId ? { storageId: event.storageId } : {}),
      }
    : undefined;
  return newWorld({
    model,
    unit: unitName,
    hook,
    action: input.action,
    host: (world) => host(input, world),
  });
}

/** What {@link newWorld} needs. */
export interface NewWorldInput {
  readonly model: JujuModel;
  readonly unit: string;
  readonly hook: HookInfo | undefined;
  readonly action: RunningAction | undefined;
  /** The host, given the World it records into. */
  readonly host: (world: World) => HookHost;
}

/**
 * A World over `model` for `unit`. The model is the run's own copy, so the hook's draft works
 * on its relations and secrets directly, with no second copy.
 */
export function newWorld(input: NewWorldInput): World {
  const { model } = input;
  const unit = model.units[input.unit];
  const world = {
    model,
    action: input.action,
    logs: [],
    unitStatusHistory: [],
    appStatusHistory: [],
    workloadVersionHistory: [],
    calls: [],
  } as Omit<World, 'context'> as World;
  const draft = {
    relations: model.relations,
    secrets: model.secrets,
    state: { ...unit?.state },
    ports: [...(unit?.ports ?? [])],
    storageAdds: {},
    newRevisions: new Set<string>(),
    removedRevisions: [],
  };
  const context = new HookContext({
    model,
    unit: input.unit,
    hook: input.hook,
    action: input.action,
    draft,
    host: input.host(world),
  });
  Object.assign(world, { context });
  return world;
}
