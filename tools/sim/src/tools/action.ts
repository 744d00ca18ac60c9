/**
 * action-get, action-set, action-fail, action-log: argv and output formats around
 * @charm-ts/juju-model's action rules.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { FORMAT_FLAGS, parseArgs } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const actionGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  return render(juju.actionGet(ctx, positional[0]), flags.format);
};

const actionSetTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, []);
  if (positional.length === 0) throw juju.usageError('no key=value pairs specified');
  const results: Record<string, string> = {};
  for (const arg of positional) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw juju.usageError(`argument "${arg}" must be of the form key...=value`);
    results[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  juju.actionSet(ctx, results);
  return '';
};

const actionFailTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, []);
  juju.actionFail(ctx, positional[0]);
  return '';
};

const actionLogTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, []);
  if (positional.length === 0) throw juju.usageError('no message specified');
  const message = positional.join(' ');
  juju.actionLog(ctx, message);
  const action = ctx.runningAction();
  ctx.host.log('INFO', `action ${action.name}: ${message}`);
  return '';
};

/** The action tools by name. */
export const actionTools: Record<string, Tool> = {
  'action-get': actionGetTool,
  'action-set': actionSetTool,
  'action-fail': actionFailTool,
  'action-log': actionLogTool,
};
