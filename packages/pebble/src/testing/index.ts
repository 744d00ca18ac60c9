/**
 * Test support, the `@charm-ts/pebble/testing` entry: a real Pebble daemon for tests, and
 * waiting on a condition with a deadline instead of sleeping. Shared by this package's tests,
 * @charm-ts/testing, the simulator, the packer and the charms' end-to-end tests.
 * @module
 */
export {
  findPebbleBinary,
  pebbleInstallCommand,
  type RealPebble,
  realPebbleSkipReason,
  realPebbleTarget,
  type StartRealPebbleOptions,
  startRealPebble,
} from './real-pebble.ts';
export {
  DEFAULT_WAIT_MS,
  type WaitOptions,
  WaitTimeoutError,
  waitForPort,
  waitUntil,
} from './wait.ts';
