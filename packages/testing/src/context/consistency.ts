/**
 * The consistency check: refuses, before anything runs, a State and event Juju could never
 * present: undeclared endpoints, containers, storage, actions, config keys or bindings, config
 * values and action parameters Juju would refuse (the checks of `@charm-ts/ops/metadata`), a
 * relation of the wrong kind for its endpoint, events about things absent from the State, pebble
 * events for a container that cannot connect, and what the Context's Juju version could not
 * produce (juju-version.ts). Each error names the field.
 * @module
 */
import { IMPLICIT_BINDING } from '@charm-ts/juju-model';
import type { CharmRuntimeMeta, EndpointRole } from '@charm-ts/ops';
import { checkActionParams, configValueProblem } from '@charm-ts/ops/metadata';
import { InconsistentStateError } from '../errors.ts';
import { remoteUnitBags } from '../state/relation-units.ts';
import type { AnyRelation, State } from '../state/types.ts';
import type { EventSpec } from './events.ts';
import { checkJujuVersion } from './juju-version.ts';

const ROLES = ['requires', 'provides', 'peers'] as const;

function declared(names: Iterable<string>): string {
  const list = [...names];
  return list.length ? list.join(', ') : 'none';
}

function checkConfig(meta: CharmRuntimeMeta, state: State): void {
  for (const [key, value] of Object.entries(state.config)) {
    const option = meta.config[key];
    const field = `state.config.${key}`;
    if (!option) {
      throw new InconsistentStateError(
        field,
        `not declared in charmcraft.yaml config.options (declared: ${declared(Object.keys(meta.config))})`,
      );
    }
    const problem = configValueProblem(option.type, value);
    if (problem) {
      throw new InconsistentStateError(
        field,
        `${problem} (charmcraft.yaml declares type: ${option.type})`,
      );
    }
  }
}

/** Why `relation` is the wrong kind for its endpoint (peer, subordinate, plain), if it is. */
function kindProblem(meta: CharmRuntimeMeta, role: EndpointRole, relation: AnyRelation) {
  const container = meta.endpoints[role][relation.endpoint]?.scope === 'container';
  const ep = `'${relation.endpoint}'`;
  if (relation.peer && role !== 'peers') return `${ep} is a ${role} endpoint; use relation()`;
  if (!relation.peer && role === 'peers') return `${ep} is a peer endpoint; use peerRelation()`;
  if (relation.subordinate && !container) {
    return `${ep} is not a subordinate's endpoint (no scope: container in charmcraft.yaml); use relation()`;
  }
  if (!relation.peer && !relation.subordinate && container) {
    return `${ep} has scope: container (a subordinate's relation to its principal); use subordinateRelation()`;
  }
  return undefined;
}

function checkRelations(meta: CharmRuntimeMeta, state: State): void {
  const ids = new Set<number>();
  state.relations.forEach((relation, i) => {
    const field = `state.relations[${i}]`;
    const role = ROLES.find((r) => relation.endpoint in meta.endpoints[r]);
    if (!role) {
      const all = ROLES.flatMap((r) => Object.keys(meta.endpoints[r]));
      throw new InconsistentStateError(
        `${field}.endpoint`,
        `'${relation.endpoint}' is not declared in charmcraft.yaml (declared: ${declared(all)})`,
      );
    }
    const problem = kindProblem(meta, role, relation);
    if (problem) throw new InconsistentStateError(field, problem);
    if (ids.has(relation.id))
      throw new InconsistentStateError(`${field}.id`, `relation id ${relation.id} is used twice`);
    ids.add(relation.id);
  });
}

/**
 * The State's networks are bindings Juju knows: an endpoint, an extra binding, or `juju-info`.
 * (Without charmcraft.yaml's extra-bindings, typegen's runtime meta, any other name passes.)
 */
function checkNetworks(meta: CharmRuntimeMeta, state: State): void {
  const extra = 'extraBindings' in meta ? (meta.extraBindings as string[]) : undefined;
  if (!extra) return;
  const bindings = [...ROLES.flatMap((r) => Object.keys(meta.endpoints[r])), ...extra];
  for (const name of Object.keys(state.networks)) {
    if (name === IMPLICIT_BINDING || bindings.includes(name)) continue;
    throw new InconsistentStateError(
      `state.networks.${name}`,
      `'${name}' is not a binding of this charm: an endpoint or extra-bindings entry of charmcraft.yaml, or juju-info (bindings: ${declared([...bindings, IMPLICIT_BINDING])})`,
    );
  }
}

function checkContainers(meta: CharmRuntimeMeta, state: State): void {
  state.containers.forEach((container, i) => {
    const field = `state.containers[${i}]`;
    const layers = Object.values(container.layers);
    for (const service of Object.keys(container.serviceStatuses)) {
      if (!layers.some((l) => l.services && service in l.services)) {
        throw new InconsistentStateError(
          `${field}.serviceStatuses.${service}`,
          `no layer of container '${container.name}' defines service '${service}'`,
        );
      }
    }
    for (const check of Object.keys(container.checks)) {
      if (!layers.some((l) => l.checks && check in l.checks)) {
        throw new InconsistentStateError(
          `${field}.checks.${check}`,
          `no layer of container '${container.name}' defines check '${check}'`,
        );
      }
    }
    for (const path of Object.keys(container.files)) {
      if (!path.startsWith('/')) {
        throw new InconsistentStateError(`${field}.files`, `'${path}' is not an absolute path`);
      }
    }
    if (!(container.name in meta.containers)) {
      throw new InconsistentStateError(
        `state.containers[${i}].name`,
        `'${container.name}' is not declared in charmcraft.yaml containers (declared: ${declared(Object.keys(meta.containers))})`,
      );
    }
  });
  state.storages.forEach((storage, i) => {
    if (!(storage.name in meta.storage)) {
      throw new InconsistentStateError(
        `state.storages[${i}].name`,
        `'${storage.name}' is not declared in charmcraft.yaml storage (declared: ${declared(Object.keys(meta.storage))})`,
      );
    }
  });
}

function checkAction(meta: CharmRuntimeMeta, event: EventSpec): void {
  const name = event.path.slice('actions/'.length);
  const action = meta.actions[name];
  if (!action) {
    throw new InconsistentStateError(
      'event.action',
      `'${name}' is not declared in charmcraft.yaml actions (declared: ${declared(Object.keys(meta.actions))})`,
    );
  }
  const checked = checkActionParams(action, event.params ?? {});
  if ('problem' in checked) {
    const { param, message } = checked.problem;
    throw new InconsistentStateError(`event.params.${param}`, `${message} of action '${name}'`);
  }
}

function checkEvent(meta: CharmRuntimeMeta, state: State, event: EventSpec): void {
  if (event.path.startsWith('actions/')) {
    checkAction(meta, event);
    return;
  }
  const remoteUnit = event.env.JUJU_REMOTE_UNIT;
  const related = state.relations.find((r) => r.id === event.relationId);
  if (related && remoteUnit !== undefined) {
    const units = Object.keys(remoteUnitBags(related));
    if (!units.includes(remoteUnit.slice(remoteUnit.lastIndexOf('/') + 1))) {
      throw new InconsistentStateError(
        'event.remoteUnit',
        `${remoteUnit} is not a unit of relation ${related.endpoint}:${related.id} (units: ${declared(units)})`,
      );
    }
  }
  if (event.relationId !== undefined && !related) {
    throw new InconsistentStateError(
      'event.relation',
      `relation id ${event.relationId} is not in state.relations`,
    );
  }
  if (event.container !== undefined) {
    const container = state.containers.find((c) => c.name === event.container);
    if (!container)
      throw new InconsistentStateError(
        'event.container',
        `'${event.container}' is not in state.containers`,
      );
    if (!container.canConnect) {
      throw new InconsistentStateError(
        `state.containers[${state.containers.indexOf(container)}].canConnect`,
        `is false, but ${event.path.slice(6)} only fires when Pebble is up`,
      );
    }
    if (
      event.check &&
      !Object.values(container.layers).some(
        (l) => l.checks && event.check && event.check.name in l.checks,
      )
    ) {
      throw new InconsistentStateError(
        'event.check',
        `check '${event.check.name}' is not in any layer of container '${container.name}'`,
      );
    }
  }
  if (event.secretId !== undefined && !state.secrets.some((s) => s.id === event.secretId)) {
    throw new InconsistentStateError('event.secret', `${event.secretId} is not in state.secrets`);
  }
  if (
    event.storageId !== undefined &&
    !state.storages.some((s) => `${s.name}/${s.index}` === event.storageId)
  ) {
    throw new InconsistentStateError(
      'event.storage',
      `${event.storageId} is not in state.storages`,
    );
  }
  if (event.path === 'hooks/leader-elected' && !state.leader) {
    throw new InconsistentStateError(
      'state.leader',
      'is false, but leader-elected only fires on the leader',
    );
  }
}

/**
 * Throws InconsistentStateError naming the first field Juju would never present this way, to a
 * unit running Juju `jujuVersion`.
 */
export function checkConsistency(
  meta: CharmRuntimeMeta,
  state: State,
  event: EventSpec,
  jujuVersion: string,
): void {
  checkConfig(meta, state);
  checkRelations(meta, state);
  checkContainers(meta, state);
  checkNetworks(meta, state);
  checkEvent(meta, state, event);
  checkJujuVersion(meta, state, event, jujuVersion);
}
