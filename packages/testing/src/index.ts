/**
 * @charm-ts/testing: state-transition tests for charms, and an in-memory Pebble that agrees
 * with the real daemon.
 * @module
 */

export type { ActionOutput, ContextOptions } from './context/context.ts';
// State-transition tests
export { Context } from './context/context.ts';
export type { CustomEventSpec, CustomPayload } from './context/custom-event.ts';
export type { CustomEventOptions, EventSpec, RemoteUnitOptions } from './context/events.ts';
export { EventFactories } from './context/events.ts';
export type { ManagerPhase } from './context/manager.ts';
export { Manager } from './context/manager.ts';
export { InconsistentStateError, UncaughtCharmError } from './errors.ts';
export { MemoryHookTools } from './hook-tools/memory-hook-tools.ts';
export type { HookToolCall, World } from './hook-tools/world.ts';
export type { ExecContext, ExecHandler, ExecResult } from './pebble/exec.ts';
export type { ContainerGroup, ContainerUser } from './pebble/files.ts';
export type { ExecRecord, MemoryPebbleOptions } from './pebble/memory-pebble.ts';
// In-memory Pebble
export { MemoryPebble } from './pebble/memory-pebble.ts';
export type { ProcessBehaviour, ProcessModel } from './pebble/processes.ts';
export {
  container,
  deferred,
  peerRelation,
  relation,
  secret,
  state,
  status,
  storage,
  subordinateRelation,
} from './state/builders.ts';
export type {
  AnyRelation,
  CheckState,
  ContainerOutput,
  ContainerState,
  DataBag,
  DeferredHookState,
  DeferredLibraryState,
  DeferredState,
  FileState,
  NoticeState,
  OutputState,
  PeerRelationState,
  RelationState,
  SecretState,
  State,
  StatusValue,
  StorageState,
  SubordinateRelationState,
} from './state/types.ts';
