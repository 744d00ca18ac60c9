/**
 * @charm-ts/pebble: a typed, streaming client for Pebble's HTTP API over its UNIX socket.
 * @module
 */

export type { ChangeWire } from './changes.ts';
// Wire conversions (shared with the in-memory Pebble so both produce the same shapes)
export { checkChangeId, toChange } from './changes.ts';
export { toCheckInfo } from './checks.ts';
export type { PebbleClientOptions } from './client.ts';
// Client
export { defaultSocketPath, PebbleClient } from './client.ts';
export type { APIErrorKind, PathErrorKind } from './errors.ts';
// Errors
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
} from './errors.ts';
export { formatGoDuration, normalizeGoDuration, parseGoDuration } from './internal/go-duration.ts';
// Layers and plans (pure: shared with the in-memory Pebble of @charm-ts/testing)
export { combineLayers, mergeLayers, validatePlan } from './layer-combine.ts';
export { validateLayer } from './layer-validate.ts';
export { layerToYaml, parseLayer } from './layer-yaml.ts';
export { customNoticeKeyRe, toNotice } from './notices.ts';
export type { Pebble } from './pebble.ts';
export { parsePlan } from './plan.ts';
export { toServiceInfo } from './services.ts';
// Types
export type * from './types.ts';
