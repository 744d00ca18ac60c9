/**
 * Loading @charm-ts/pebble (and undici under it) only when a container is first used, and the
 * V8 flag that keeps a short-lived hook process from waiting on undici's WebAssembly at exit.
 * @module
 */
import { join } from 'node:path';
import type { Pebble } from '@charm-ts/pebble';
import type { PebbleFactory } from './runtime.ts';
import { limitWasmTiering } from './v8-flags.ts';

/** Where workload containers' Pebble sockets live, unless `CHARM_TS_CONTAINERS_DIR` says otherwise. */
export const DEFAULT_CONTAINERS_DIR = '/charm/containers';

/** The default Pebble factory: a client on `<containers dir>/<name>/pebble.socket`, loaded on first use. */
export function defaultPebbleFactory(
  env: Readonly<Record<string, string | undefined>>,
): PebbleFactory {
  const base = env.CHARM_TS_CONTAINERS_DIR || DEFAULT_CONTAINERS_DIR;
  return async (name): Promise<Pebble> => {
    const { PebbleClient } = await loadPebble();
    return new PebbleClient({ socketPath: join(base, name, 'pebble.socket') });
  };
}

/**
 * Loads @charm-ts/pebble on first use. In a CommonJS bundle `require` is used: when the packer
 * keeps the client in a file of its own, `import()` would start Node's ESM loader (and scan the
 * whole file for exports) on every dispatch that touches a container. Where `require` cannot
 * load it (the TypeScript sources under a test runner), `import()` does.
 */
async function loadPebble(): Promise<typeof import('@charm-ts/pebble')> {
  limitWasmTiering();
  if (typeof require === 'function') {
    try {
      return require('@charm-ts/pebble');
    } catch {
      // Fall through to import().
    }
  }
  return import('@charm-ts/pebble');
}
