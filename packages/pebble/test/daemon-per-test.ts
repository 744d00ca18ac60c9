/**
 * A fresh real Pebble daemon for each test of the enclosing `describe`, stopped after it: the
 * setup every "against a real daemon" suite of this package shares.
 * @module
 */
import { afterEach, beforeEach } from 'vitest';
import { type RealPebble, startRealPebble } from '../src/testing/real-pebble.ts';

/** Registers the hooks; the returned function gives the running test's daemon. */
export function daemonPerTest(): () => RealPebble {
  let daemon: RealPebble | undefined;
  beforeEach(async () => {
    daemon = await startRealPebble();
  });
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
  });
  return () => {
    if (!daemon) throw new Error('no daemon: daemonPerTest() gives one only inside a test');
    return daemon;
  };
}
