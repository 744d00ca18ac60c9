/**
 * @charm-ts/ops: the charm runtime, from Juju's hook environment to typed events and back.
 *
 * - Runtime: `main`, `dispatch`, `Charm` (+ `Observers`, `Framework`), events, `Status`.
 * - Model: `Model`, `Unit`, `App`, `Relation`, `Secret`, `Container`; state (`STATE_KEY`, …).
 * - Hook tools: the `HookTools` interface (implemented in memory by @charm-ts/testing),
 *   `processHookTools` (the real tools on PATH), `translateToolError`.
 * - Build time (never on the dispatch path; `sideEffects: false` lets bundlers drop them):
 *   `parseCharmcraft`, `loadCharmcraft`, `typegen`, `toRuntimeMeta`.
 * - Errors: `OpsError` and its subclasses, each with a stable `code`.
 * @module
 */

export type { CharmClass, CharmTypes, CollectStatusEvent, Handler, UntypedCharm } from './charm.ts';
export { Charm, Framework, Observers } from './charm.ts';
export { loadCharmcraft, parseCharmcraft } from './charmcraft/parse.ts';
export type {
  ActionMeta,
  BaseMeta,
  CharmMeta,
  CharmRuntimeMeta,
  ConfigOptionMeta,
  ConfigOptionType,
  ContainerMeta,
  EndpointMeta,
  EndpointRole,
  JsonSchema,
  ResourceMeta,
  StorageMeta,
} from './charmcraft/types.ts';
export type { ContainerExecOptions } from './container.ts';
export { Container } from './container.ts';
export type { DispatchOptions, DispatchResult } from './dispatch.ts';
export { DEFAULT_CONTAINERS_DIR, dispatch } from './dispatch.ts';
export {
  CharmcraftError,
  FrameworkError,
  HookEnvironmentError,
  HookToolError,
  InvalidConfigError,
  JujuVersionError,
  ModelError,
  OpsError,
  RelationDataAccessError,
  RelationDataTypeError,
  RelationNotFoundError,
  SecretNotFoundError,
} from './errors.ts';
export type {
  ActionEvent,
  CharmEvent,
  EventBase,
  HookEvent,
  NoticeRef,
  PebbleEvent,
  PebbleHook,
  RelationEvent,
  RelationHook,
  SecretEvent,
  SecretHook,
  StorageEvent,
  StorageHook,
  UnitEvent,
  UnitHook,
} from './events.ts';
export { processHookTools } from './hook-tools/process.ts';
export type { Run } from './hook-tools/run.ts';
export type {
  AppStatusInfo,
  CloudSpec,
  GoalState,
  GoalStatus,
  HookTools,
  LogLevel,
  NetworkAddress,
  NetworkInfo,
  Port,
  RelationRef,
  SecretAddOptions,
  SecretGetOptions,
  SecretInfo,
  SecretLookup,
  SecretMetadataOptions,
  SecretRevokeOptions,
  SecretRotate,
  SecretSetOptions,
  SettableStatus,
  StatusInfo,
  StatusName,
  StorageInfo,
} from './hook-tools/types.ts';
export type { MainOptions } from './main.ts';
export { main } from './main.ts';
export { translateToolError } from './model/backend.ts';
export type { PortSpec, StorageInstance } from './model/model.ts';
export { App, Model, Unit } from './model/model.ts';
export { Relation } from './model/relation.ts';
export { Secret } from './model/secret.ts';
export type { DeferredEvent, PersistedState } from './state.ts';
export { parseState, STATE_KEY, serializeState } from './state.ts';
export { Status } from './status.ts';
export { toRuntimeMeta, typegen } from './typegen/typegen.ts';
