/**
 * @charm-ts/ops: the charm runtime, from Juju's hook environment to typed events and back.
 *
 * - Runtime: `main`, `dispatch`, `Charm` (+ `Observers`, `Framework`), `Library` (a charm
 *   library with events of its own), events, `Status`, `Logger`, `JujuVersion`.
 * - Model: `Model`, `Unit`, `App`, `Relation`, `Secret`, `Binding`, `Container`; state
 *   (`STATE_KEY`, …).
 * - Pebble: the `Layer` type and Pebble's error classes, re-exported (no client is loaded).
 * - Hook tools: the `HookTools` interface (implemented in memory by @charm-ts/testing),
 *   `processHookTools` (the real tools on PATH), `translateToolError`.
 * - Build time (never on the dispatch path; `sideEffects: false` lets bundlers drop them):
 *   `parseCharmcraft`, `loadCharmcraft`, `typegen`, `toRuntimeMeta`.
 * - Errors: `OpsError` and its subclasses, each with a stable `code`.
 * @module
 */

// Pebble's types a charm writes (layers) or reads (plans, services, checks, notices, files).
export type {
  Check,
  CheckInfo,
  FileInfo,
  Layer,
  Notice,
  Plan,
  PushOptions,
  PushSource,
  Service,
  ServiceInfo,
} from '@charm-ts/pebble';
export {
  APIError,
  ChangeError,
  ConnectionError,
  ExecError,
  LayerValidationError,
  NotSupportedError,
  PathError,
  PebbleError,
  ProtocolError,
  TimeoutError,
} from '@charm-ts/pebble/errors';
export type { CharmClass } from './charm.ts';
export { Charm } from './charm.ts';
export type { CharmTypes, UntypedCharm } from './charm-types.ts';
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
export type { ApplyLayerOptions, ApplyLayerResult } from './container/apply-layer.ts';
export type {
  ContainerAddLayerOptions,
  ContainerCheck,
  ContainerExecOptions,
  ContainerService,
} from './container/container.ts';
export { Container } from './container/container.ts';
export type { PathCopyOptions } from './container/paths.ts';
export { PathCopyError } from './container/paths.ts';
export type {
  DispatchControl,
  DispatchOptions,
  DispatchResult,
  DispatchStop,
} from './dispatch.ts';
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
  RelationDataError,
  RelationDataTypeError,
  RelationNotFoundError,
  SecretNotFoundError,
} from './errors.ts';
export type {
  ActionEvent,
  CharmEvent,
  CheckRef,
  CollectStatusEvent,
  CommitEvent,
  EventBase,
  HookEvent,
  LibraryEvent,
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
export type { Handler } from './framework.ts';
export { Framework } from './framework.ts';
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
export { JujuVersion } from './juju-version.ts';
export type { EventMap, LibraryObservers, LibraryParent } from './library.ts';
export { Library } from './library.ts';
export type { LoggerOptions, LogLine, LogSink } from './logger.ts';
export { Logger } from './logger.ts';
export type { MainOptions } from './main.ts';
export { main } from './main.ts';
export { translateToolError } from './model/backend.ts';
export type { Network, NetworkInterface } from './model/binding.ts';
export { Binding } from './model/binding.ts';
export type { PortSpec, StorageInstance } from './model/model.ts';
export { App, Model, Unit } from './model/model.ts';
export type { BagRef } from './model/relation.ts';
export { Relation } from './model/relation.ts';
export type {
  LoadOptions,
  SaveOptions,
  SchemaOutput,
  StandardResult,
  StandardSchema,
} from './model/relation-data.ts';
export { Secret } from './model/secret.ts';
export { Observers } from './observers.ts';
export type {
  DeferredEvent,
  DeferredHookEvent,
  DeferredLibraryEvent,
  PersistedState,
} from './state.ts';
export { parseState, STATE_KEY, serializeState } from './state.ts';
export { Status } from './status.ts';
export { toRuntimeMeta, typegen } from './typegen/typegen.ts';
