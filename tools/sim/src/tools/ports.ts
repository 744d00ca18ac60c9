/**
 * open-port, close-port, opened-ports: argv and output formats around @charm-ts/juju-model's
 * port rules.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { FORMAT_FLAGS, parseArgs } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const openPortTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'endpoints' }]);
  juju.openPort(ctx, juju.parsePortSpec(positional[0]));
  return '';
};

const closePortTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'endpoints' }]);
  juju.closePort(ctx, juju.parsePortSpec(positional[0]));
  return '';
};

const openedPortsTool: Tool = (ctx, args) => {
  const { flags } = parseArgs(args, [...FORMAT_FLAGS, { name: 'endpoints', bool: true }]);
  const ports = juju.openedPorts(ctx).map((p) => (flags.endpoints ? `${p} (*)` : p));
  return render(ports, flags.format);
};

/** The port tools by name. */
export const portTools: Record<string, Tool> = {
  'open-port': openPortTool,
  'close-port': closePortTool,
  'opened-ports': openedPortsTool,
};
