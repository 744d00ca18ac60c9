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
  /**
   * Default true: end the process once the dispatch is done. False only sets
   * `process.exitCode` (for embedding `main` in a longer-lived process).
   */
  exit?: boolean;
}

/**
 * Dispatches the current hook to `charm`, then ends the process with exit code 0, or 1 after
 * printing the uncaught error's stack so Juju retries the hook. Ending the process matters: an
 * idle keep-alive connection to Pebble, or an exec's WebSockets (which Pebble keeps open a while
 * after the command ends), would otherwise hold a finished hook for seconds. Stack frames of a
 * bundled charm are mapped to TypeScript lines through the bundle's linked source map, read only
 * then: running Node with `--enable-source-maps` is not needed. Never throws.
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
  if (options.exit === false) return;
  // stdout and stderr are synchronous for files and pipes on Linux (how Juju runs a hook), so
  // exiting loses nothing written; a TTY is flushed by Node's exit handling too.
  process.exit(result.exitCode);
}
