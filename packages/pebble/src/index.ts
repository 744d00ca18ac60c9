/**
 * @charm-ts/pebble: a typed, streaming client for Pebble's HTTP API over its UNIX socket.
 * @module
 */

// Client
export { defaultSocketPath, PebbleClient } from './client.ts';
export type { PebbleClientOptions } from './client.ts';
export type { Pebble } from './pebble.ts';

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
export type { APIErrorKind, PathErrorKind } from './errors.ts';

// Types
export type * from './types.ts';
