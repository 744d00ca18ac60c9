/**
 * `ProcessHookTools`: the `HookTools` that spawn Juju's real tools from PATH.
 * @module
 */
import { relationTools } from './relation.ts';
import { type Run, run as spawnRun } from './run.ts';
import { secretTools } from './secret.ts';
import type { HookTools } from './types.ts';
import { unitTools } from './unit.ts';
import { workloadTools } from './workload.ts';

/**
 * Hook tools that spawn the real executables from PATH, without a shell, through one `run()`.
 * Every method throws `HookToolError` when its tool fails. `run` is replaceable for tests.
 */
export function processHookTools(run: Run = spawnRun): HookTools {
  return { ...relationTools(run), ...secretTools(run), ...unitTools(run), ...workloadTools(run) };
}
