/**
 * Every hook tool the simulator serves, by name, and the single entry that runs one: argv in,
 * Juju's output, exit code and `ERROR <message>` out.
 * @module
 */
import { type HookContext, JujuError } from '@charm-ts/juju-model';
import { actionTools } from './action.ts';
import type { Tool } from './context.ts';
import { goalStateTools } from './goal-state.ts';
import { networkTools } from './network.ts';
import { portTools } from './ports.ts';
import { relationTools } from './relation.ts';
import { resourceTools } from './resource.ts';
import { secretTools } from './secret.ts';
import { statusTools } from './status.ts';
import { storageTools } from './storage.ts';
import { unitTools } from './unit.ts';

/** Hook tools by name. */
export const TOOLS: Record<string, Tool> = {
  ...relationTools,
  ...unitTools,
  ...statusTools,
  ...actionTools,
  ...secretTools,
  ...portTools,
  ...storageTools,
  ...networkTools,
  ...goalStateTools,
  ...resourceTools,
};

/** The result of one tool call, as the hook-tool executable prints it. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `name` with `args`; never throws: errors become `ERROR <msg>` on stderr. */
export function runTool(
  ctx: HookContext,
  name: string,
  args: string[],
  stdin?: string,
): ToolResult {
  const tool = TOOLS[name];
  if (!tool) return { code: 1, stdout: '', stderr: `ERROR unknown command "${name}"\n` };
  if (args.includes('--help') || args.includes('-h')) {
    return { code: 0, stdout: `Usage: ${name} [options]\n(charm-sim hook tool)\n`, stderr: '' };
  }
  try {
    return { code: 0, stdout: tool(ctx, args, stdin), stderr: '' };
  } catch (error) {
    const code = error instanceof JujuError ? error.exitCode : 1;
    return { code, stdout: '', stderr: `ERROR ${(error as Error).message}\n` };
  }
}
