/**
 * Every hook tool the simulator serves, by name, and the single entry that runs one.
 * @module
 */
import { actionTools } from './action.ts';
import { ToolError } from './args.ts';
import type { ToolContext } from './context.ts';
import { miscTools } from './misc.ts';
import { relationTools } from './relation.ts';
import { secretTools } from './secret.ts';
import { unitTools } from './unit.ts';

type Tool = (ctx: ToolContext, args: string[]) => string;

/** Hook tools by name. */
export const TOOLS: Record<string, Tool> = {
  ...relationTools,
  ...unitTools,
  ...actionTools,
  ...secretTools,
  ...miscTools,
};

/** The result of one tool call, as the hook-tool executable prints it. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `name` with `args`; never throws: errors become `ERROR <msg>` on stderr. */
export function runTool(ctx: ToolContext, name: string, args: string[]): ToolResult {
  const tool = TOOLS[name];
  if (!tool) return { code: 1, stdout: '', stderr: `ERROR unknown command "${name}"\n` };
  if (args.includes('--help') || args.includes('-h')) {
    return { code: 0, stdout: `Usage: ${name} [options]\n(charm-sim hook tool)\n`, stderr: '' };
  }
  try {
    return { code: 0, stdout: tool(ctx, args), stderr: '' };
  } catch (error) {
    if (error instanceof ToolError) {
      return { code: error.exitCode, stdout: '', stderr: `ERROR ${error.message}\n` };
    }
    return { code: 1, stdout: '', stderr: `ERROR ${(error as Error).message}\n` };
  }
}
