/**
 * resource-get: where an uploaded resource is in the charm container. The simulator's host
 * answers (`simHookHost`), with Juju's texts when a resource is not declared or not uploaded.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { parseArgs } from './args.ts';
import type { Tool } from './context.ts';

const resourceGetTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, []);
  const name = positional[0];
  if (name === undefined) throw juju.usageError('missing required resource name');
  return `${juju.resourceGet(ctx, name)}\n`;
};

/** resource-get by name. */
export const resourceTools: Record<string, Tool> = { 'resource-get': resourceGetTool };
