/**
 * `main`: the entry point of a bundled charm (`main(MyCharm, { meta })` at the end of charm.ts).
 * @module
 */
import type { Pebble } from '@charm-ts/pebble';
import type { CharmClass } from './charm.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { describeError, dispatch } from './dispatch.ts';
import { processHookTools } from './hook-tools/process.ts';
import type { HookTools } from './hook-tools/types.ts';

/** Options of `main`; all optional. */
export interface MainOptions {
  /** The charm's metadata: typegen's `meta` (no YAML is parsed at dispatch time). */
  meta?: CharmRuntimeMeta;
  /** Default: `processHookTools()`, the real tools on PATH. */
  tools?: HookTools;
  /** Default: a `PebbleClient` per container socket (see `dispatch`). */
  pebble?: (container: string) => Pebble;
  /** Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Dispatches the current hook to `charm` and sets `process.exitCode`: 0, or 1 after printing
 * the uncaught error's stack so Juju retries the hook. Stack frames of a bundled charm are mapped
 * to TypeScript lines through the bundle's linked source map, read only then: running Node with
 * `--enable-source-maps` is not needed (and costs every dispatch the map's parse). Never throws.
 */
export async function main(charm: CharmClass, options: MainOptions = {}): Promise<void> {
  const result = await dispatch({
    charm,
    env: options.env ?? process.env,
    tools: options.tools ?? processHookTools(),
    ...(options.pebble && { pebble: options.pebble }),
    ...(options.meta && { meta: options.meta }),
  });
  if (result.exitCode !== 0) {
    process.stderr.write(`${describeError(result.error)}\n`);
  }
  process.exitCode = result.exitCode;
}
