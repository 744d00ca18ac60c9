/**
 * action-get, action-set, action-fail, action-log.
 * @module
 */
import { FORMAT_FLAGS, parseArgs, ToolError } from './args.ts';
import type { RunningAction, ToolContext } from './context.ts';
import { render } from './format.ts';

const KEY = /^[a-z0-9](-?[a-z0-9])*$/;
const RESERVED = ['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding'];

function running(ctx: ToolContext): RunningAction {
  if (!ctx.action) throw new ToolError(1, 'not running an action');
  return ctx.action;
}

function actionGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  const action = running(ctx);
  let value: unknown = action.params;
  if (positional[0] !== undefined) {
    for (const part of positional[0].split('.')) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
  }
  return render(value, flags.format);
}

function actionSet(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, []);
  const action = running(ctx);
  if (positional.length === 0) throw new ToolError(2, 'no key=value pairs specified');
  for (const arg of positional) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ToolError(2, `argument "${arg}" must be of the form key...=value`);
    const path = arg.slice(0, eq).split('.');
    for (const part of path) {
      if (!KEY.test(part)) {
        throw new ToolError(
          2,
          `key "${part}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
        );
      }
    }
    if (path.length === 1 && RESERVED.includes(path[0] as string)) {
      throw new ToolError(2, `cannot set reserved action key "${path[0]}"`);
    }
    let bag = action.results;
    for (const part of path.slice(0, -1)) {
      const next = bag[part];
      if (typeof next !== 'object' || next === null) bag[part] = {};
      bag = bag[part] as Record<string, unknown>;
    }
    bag[path[path.length - 1] as string] = arg.slice(eq + 1);
  }
  return '';
}

function actionFail(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, []);
  const action = running(ctx);
  action.failure = positional[0] ?? 'action failed without reason given, check action for errors';
  return '';
}

function actionLog(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, []);
  const action = running(ctx);
  if (positional.length === 0) throw new ToolError(2, 'no message specified');
  action.log.push(positional.join(' '));
  ctx.log('INFO', `action ${action.name}: ${positional.join(' ')}`);
  return '';
}

/** The action tools by name. */
export const actionTools = {
  'action-get': actionGet,
  'action-set': actionSet,
  'action-fail': actionFail,
  'action-log': actionLog,
};
