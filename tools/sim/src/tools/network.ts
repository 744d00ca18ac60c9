/**
 * network-get, unit-get: argv and output formats (Juju's kebab-case keys) around
 * @charm-ts/juju-model's rules.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { FORMAT_FLAGS, parseArgs, stringFlag } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const networkGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'relation', aliases: ['r'] },
    { name: 'bind-address', bool: true },
    { name: 'ingress-address', bool: true },
    { name: 'egress-subnets', bool: true },
    { name: 'primary-address', bool: true },
  ]);
  const relation = stringFlag(flags, 'relation');
  if (relation !== undefined) ctx.relation(relation);
  const binding = positional[0];
  if (binding === undefined) throw juju.usageError('no arguments specified');
  const network = juju.networkGet(ctx, binding);
  const info = {
    'bind-addresses': network.bindAddresses.map((b) => ({
      'mac-address': b.macAddress,
      'interface-name': b.interfaceName,
      addresses: b.addresses.map((a) => ({ hostname: a.hostname, value: a.value, cidr: a.cidr })),
    })),
    'egress-subnets': network.egressSubnets,
    'ingress-addresses': network.ingressAddresses,
  };
  const bind = network.bindAddresses[0]?.addresses[0]?.value;
  const picked: Record<string, unknown> = {};
  if (flags['bind-address'] || flags['primary-address']) picked['bind-address'] = bind;
  if (flags['ingress-address']) picked['ingress-address'] = network.ingressAddresses[0];
  if (flags['egress-subnets']) picked['egress-subnets'] = network.egressSubnets;
  const keys = Object.keys(picked);
  if (keys.length === 1) return render(picked[keys[0] as string], flags.format);
  return render(keys.length ? picked : info, flags.format);
};

const unitGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  const key = positional[0];
  if (key !== 'private-address' && key !== 'public-address') {
    throw juju.usageError(key === undefined ? 'no setting specified' : `unknown setting "${key}"`);
  }
  return render(juju.unitGet(ctx, key), flags.format);
};

/** The network tools by name. */
export const networkTools: Record<string, Tool> = {
  'network-get': networkGetTool,
  'unit-get': unitGetTool,
};
