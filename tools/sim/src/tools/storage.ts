/**
 * storage-get, storage-list, storage-add: argv and output formats around @charm-ts/juju-model's
 * storage rules. A unit of charm-sim has one instance of each storage the charm declares.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { FORMAT_FLAGS, parseArgs, stringFlag } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const storageGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'storage', aliases: ['s'] },
  ]);
  const { kind, location } = juju.storageGet(ctx, stringFlag(flags, 'storage'));
  const info: Record<string, string> = { kind, location };
  const key = positional[0];
  return render(key === undefined ? info : info[key], flags.format);
};

const storageListTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  return render(juju.storageList(ctx, positional[0]), flags.format);
};

const storageAddTool: Tool = (_ctx, args) => {
  parseArgs(args, []);
  throw juju.runError('storage-add: adding storage is not supported by charm-sim');
};

/** The storage tools by name. */
export const storageTools: Record<string, Tool> = {
  'storage-get': storageGetTool,
  'storage-list': storageListTool,
  'storage-add': storageAddTool,
};
