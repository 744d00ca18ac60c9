/**
 * @charm-ts/juju-model: a pure model of a Juju model, the one home of Juju's hook-tool rules.
 *
 * - State: `JujuModel` and its `JujuApp`, `JujuUnit`, `JujuRelation`, `JujuSecret` records.
 * - A hook: `HookContext` (a unit running a hook or an action, over a `Draft` that is committed
 *   when the hook exits 0, and a `HookHost` for time, logs and what only the host knows).
 * - The rules, one function per hook tool, grouped by family (relations, secrets, status, unit,
 *   ports, storage, network, actions, goal-state). Each throws `JujuError` with Juju's message
 *   and exit code.
 *
 * No I/O: @charm-ts/testing's in-memory hook tools and charm-sim's hook-tool executables are
 * adapters over it, and `@charm-ts/juju-model/contract` holds the suite both must pass.
 * @module
 */

export {
  actionFail,
  actionGet,
  actionLog,
  actionSet,
  DEFAULT_FAILURE,
  flattenResults,
} from './actions.ts';
export type { Draft, HookContextInit, HookHost, ImmediateChange } from './context.ts';
export { beginHook, HookContext } from './context.ts';
export {
  CREDENTIAL_DENIED,
  JujuError,
  NOT_LEADER,
  PERMISSION_DENIED,
  resourceNotFound,
  runError,
  usageError,
} from './errors.ts';
export type { GoalStateRecord, GoalStatusRecord } from './goal-state.ts';
export { goalState } from './goal-state.ts';
export type {
  CharmFacts,
  HookInfo,
  JujuApp,
  JujuModel,
  JujuRelation,
  JujuSecret,
  JujuStatus,
  JujuUnit,
  RelationEndpoint,
  RunningAction,
  SecretConsumer,
  SecretGrant,
  SecretRevision,
  StorageInstance,
} from './model.ts';
export { bareSecretId, latestRevision, newSecretId } from './model.ts';
export { IMPLICIT_BINDING, networkGet, unitGet } from './network.ts';
export {
  closePort,
  openedPorts,
  openPort,
  parsePortSpec,
  portFromText,
  portText,
} from './ports.ts';
export {
  defaultEndpoint,
  defaultRelationTarget,
  isBroken,
  isPeer,
  relationGet,
  relationIds,
  relationKey,
  relationList,
  relationListApp,
  relationModelGet,
  relationSet,
} from './relations.ts';
export { nextRotation, parseExpiry, ROTATE_POLICIES } from './secret-times.ts';
export type { SecretGetInput, SecretInfoRecord, SecretMetadataInput } from './secrets.ts';
export {
  owns,
  secretAdd,
  secretGet,
  secretGrant,
  secretIds,
  secretInfoGet,
  secretRemove,
  secretRevoke,
  secretSet,
} from './secrets.ts';
export type { AppStatusRecord } from './status.ts';
export {
  applicationVersionSet,
  appStatusGet,
  SETTABLE_STATUSES,
  statusGet,
  statusSet,
} from './status.ts';
export {
  declaredStorage,
  storageAdd,
  storageGet,
  storageList,
  storageLocation,
} from './storage.ts';
export {
  configGet,
  credentialGet,
  isLeader,
  jujuLog,
  leaderGet,
  leaderSet,
  resourceGet,
  STATE_KEY_LIMIT,
  STATE_VALUE_LIMIT,
  stateDelete,
  stateGet,
  stateGetAll,
  stateSet,
} from './unit.ts';
