/**
 * status-get, status-set, application-version-set: argv and output formats around
 * @charm-ts/juju-model's status rules (they take effect at once).
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { FORMAT_FLAGS, parseArgs } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

function shown(s: juju.JujuStatus): Record<string, unknown> {
  return { status: s.status, message: s.message, 'status-data': {} };
}

const statusGetTool: Tool = (ctx, args) => {
  const { flags } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'application', bool: true },
    { name: 'include-data', bool: true },
  ]);
  if (flags.application) {
    const { status, units } = juju.appStatusGet(ctx);
    const byUnit = Object.fromEntries(Object.entries(units).map(([u, s]) => [u, shown(s)]));
    return render({ 'application-status': { ...shown(status), units: byUnit } }, flags.format);
  }
  const own = juju.statusGet(ctx);
  if (!flags['include-data']) return render(own.status, flags.format);
  return render(shown(own), flags.format);
};

const statusSetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [{ name: 'application', bool: true }]);
  const [value, ...message] = positional;
  if (value === undefined) throw juju.usageError('invalid args, require <status> [message]');
  juju.statusSet(ctx, value, message.join(' '), flags.application === true);
  return '';
};

const applicationVersionSetTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, []);
  if (positional.length !== 1) throw juju.usageError('no version specified');
  juju.applicationVersionSet(ctx, positional[0] as string);
  return '';
};

/** The status tools by name. */
export const statusTools: Record<string, Tool> = {
  'status-get': statusGetTool,
  'status-set': statusSetTool,
  'application-version-set': applicationVersionSetTool,
};
