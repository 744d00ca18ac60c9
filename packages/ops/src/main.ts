/**
 * `main`: the entry point of a bundled charm (`main(MyCharm, { meta })` at the end of charm.ts).
 * @module
 */
import type { Pebble } from '@charm-ts/pebble';
import type { CharmClass } from './charm.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { dispatch } from './dispatch.ts';
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
 * the uncaught error's stack (TypeScript lines when the bundle's source map is enabled; the
 * packer's dispatch script runs Node with `--enable-source-maps`) so Juju retries the hook.
 * Never throws.
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
    const err = result.error;
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exitCode = result.exitCode;
}
