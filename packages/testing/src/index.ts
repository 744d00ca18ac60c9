/**
 * @charm-ts/testing: state-transition tests for charms, and an in-memory Pebble that agrees
 * with the real daemon.
 * @module
 */

export type { ExecContext, ExecHandler, ExecResult } from './pebble/exec.ts';
export type { ContainerGroup, ContainerUser } from './pebble/files.ts';
export type { ExecRecord, MemoryPebbleOptions } from './pebble/memory-pebble.ts';
// In-memory Pebble
export { MemoryPebble } from './pebble/memory-pebble.ts';
export type { ProcessBehaviour, ProcessModel } from './pebble/processes.ts';
