/**
 * goal-state: output formats around @charm-ts/juju-model's rule.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { FORMAT_FLAGS, parseArgs } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const goalStateTool: Tool = (ctx, args) => {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  return render(juju.goalState(ctx), flags.format, ['yaml', 'json']);
};

/** goal-state by name. */
export const goalStateTools: Record<string, Tool> = { 'goal-state': goalStateTool };
