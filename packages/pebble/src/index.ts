/**
 * @charm-ts/pebble: a typed, streaming client for Pebble's HTTP API over its UNIX socket, and
 * the pure layer logic (validation, combination, YAML) that the in-memory Pebble of
 * @charm-ts/testing shares with it. The contract suite is the `@charm-ts/pebble/contract` entry;
 * test support (a real daemon for tests, waiting on a condition) is `@charm-ts/pebble/testing`.
 * Pebble's input rules that only @charm-ts/testing needs are `@charm-ts/pebble/internal`.
 * @module
 */

// The client.
export { defaultSocketPath, PebbleClient, type PebbleClientOptions } from './client.ts';
// Errors.
export {
  APIError,
  type APIErrorKind,
  ChangeError,
  ConnectionError,
  ExecError,
  LayerValidationError,
  NotSupportedError,
  PathError,
  type PathErrorKind,
  PebbleError,
  ProtocolError,
  TimeoutError,
} from './errors.ts';
// Go durations as Pebble reads and writes them.
export { formatGoDuration, normalizeGoDuration, parseGoDuration } from './internal/go-duration.ts';
// Layers and plans (pure).
export { combineLayers, mergeLayers, validatePlan } from './layer-combine.ts';
export { addToLayerStack, type StackedLayer } from './layer-stack.ts';
export { validateLayer } from './layer-validate.ts';
export { layerToYaml, normalizeLayer, parseLayer } from './layer-yaml.ts';
export type { Pebble } from './pebble.ts';
export { parsePlan } from './plan.ts';
// Public types: results, options, and layers keyed as in Pebble's layer specification.
export type {
  AddLayerOptions,
  Change,
  ChangeSelector,
  ChangeStatus,
  Check,
  CheckInfo,
  CheckLevel,
  CheckStatus,
  Duration,
  ExecCheck,
  ExecOptions,
  ExecProcess,
  FileInfo,
  FileOwnership,
  FileType,
  HealthOptions,
  HttpCheck,
  Identity,
  IdentityAccess,
  Layer,
  ListChangesOptions,
  ListChecksOptions,
  ListFilesOptions,
  ListNoticesOptions,
  ListServicesOptions,
  LogEntry,
  LogsOptions,
  LogTarget,
  Maintenance,
  MakeDirOptions,
  Notice,
  NoticeType,
  NotifyOptions,
  Override,
  Plan,
  PullOptions,
  PushOptions,
  PushSource,
  RefreshCheckResult,
  RemovePathOptions,
  RequestOptions,
  Service,
  ServiceAction,
  ServiceChangeOptions,
  ServiceInfo,
  ServiceStatus,
  Startup,
  SystemInfo,
  Task,
  TaskProgress,
  TcpCheck,
  WaitChangeOptions,
} from './types.ts';
