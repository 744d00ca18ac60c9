/**
 * network-get, open-port, close-port, opened-ports, storage-get, storage-list, storage-add,
 * resource-get, goal-state.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT_FLAGS, parseArgs, ToolError } from './args.ts';
import type { ToolContext } from './context.ts';
import { render } from './format.ts';
import { relationFor } from './relation.ts';

function networkGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'relation', aliases: ['r'] },
    { name: 'bind-address', bool: true },
    { name: 'ingress-address', bool: true },
    { name: 'egress-subnets', bool: true },
    { name: 'primary-address', bool: true },
  ]);
  if (typeof flags.relation === 'string') relationFor(ctx, flags.relation);
  const binding = positional[0];
  if (binding === undefined) throw new ToolError(2, 'no arguments specified');
  if (!(binding in ctx.app.charm.endpoints)) {
    throw new ToolError(1, `no network config found for binding "${binding}"`);
  }
  const address = ctx.unit.address;
  const info = {
    'bind-addresses': [
      {
        'mac-address': '',
        'interface-name': 'eth0',
        addresses: [{ hostname: '', value: address, cidr: `${ctx.model.subnet}.0/24` }],
      },
    ],
    'egress-subnets': [`${address}/32`],
    'ingress-addresses': [address],
  };
  const picked: Record<string, unknown> = {};
  if (flags['bind-address'] || flags['primary-address']) picked['bind-address'] = address;
  if (flags['ingress-address']) picked['ingress-address'] = address;
  if (flags['egress-subnets']) picked['egress-subnets'] = info['egress-subnets'];
  const keys = Object.keys(picked);
  if (keys.length === 1) return render(picked[keys[0] as string], flags.format);
  return render(keys.length ? picked : info, flags.format);
}

const PORT = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/;

function portSpec(arg: string | undefined): string {
  if (arg === undefined) throw new ToolError(2, 'no port or range specified');
  if (arg === 'icmp') return 'icmp';
  const match = PORT.exec(arg);
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || from < 1 || to > 65535 || to < from) {
    throw new ToolError(2, `invalid port or range "${arg}"`);
  }
  const range = from === to ? `${from}` : `${from}-${to}`;
  return `${range}/${match[3] ?? 'tcp'}`;
}

function openPort(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'endpoints' }]);
  const port = portSpec(positional[0]);
  if (!ctx.draft.ports.includes(port)) ctx.draft.ports.push(port);
  return '';
}

function closePort(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'endpoints' }]);
  const port = portSpec(positional[0]);
  ctx.draft.ports = ctx.draft.ports.filter((p) => p !== port);
  return '';
}

function openedPorts(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, [...FORMAT_FLAGS, { name: 'endpoints', bool: true }]);
  const ports = ctx.unit.ports.map((p) => (flags.endpoints ? `${p} (*)` : p));
  return render(ports, flags.format);
}

function storageIds(ctx: ToolContext): string[] {
  return Object.keys(ctx.app.charm.storage).map((name) => `${name}/0`);
}

function storageGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'storage', aliases: ['s'] },
  ]);
  const id = typeof flags.storage === 'string' ? flags.storage : ctx.hook?.storageId;
  if (!id) throw new ToolError(2, 'no storage instance specified');
  const name = id.split('/')[0] as string;
  const spec = ctx.app.charm.storage[name];
  if (!spec || !storageIds(ctx).includes(id)) {
    throw new ToolError(
      2,
      `invalid value "${id}" for option -s: storage instance "${id}" not found`,
    );
  }
  const info = { kind: spec.type, location: storageLocation(name, spec.location) };
  const key = positional[0];
  return render(key === undefined ? info : (info as Record<string, string>)[key], flags.format);
}

/** Where a storage instance is mounted in the charm container. */
export function storageLocation(name: string, location: string | undefined): string {
  return location ?? `/var/lib/juju/storage/${name}/0`;
}

function storageList(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  const name = positional[0];
  const ids = storageIds(ctx).filter((id) => name === undefined || id.startsWith(`${name}/`));
  return render(ids, flags.format);
}

function storageAdd(_ctx: ToolContext, args: string[]): string {
  parseArgs(args, []);
  throw new ToolError(1, 'storage-add: adding storage is not supported by charm-sim');
}

function resourceGet(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, []);
  const name = positional[0];
  if (name === undefined) throw new ToolError(2, 'missing required resource name');
  const spec = ctx.app.charm.resources[name];
  if (!spec)
    throw new ToolError(
      1,
      `could not download resource: resource#${ctx.app.name}/${name} not found`,
    );
  const file = spec.filename ?? (spec.type === 'oci-image' ? 'content' : name);
  const rel = join('resources', name, file);
  if (!existsSync(join(ctx.hostAgentDir, rel))) {
    throw new ToolError(
      1,
      `could not download resource: resource#${ctx.app.name}/${name} not uploaded: deploy with --resource ${name}=PATH`,
    );
  }
  return `${join(ctx.agentDir, rel)}\n`;
}

function goalState(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  const units: Record<string, unknown> = {};
  for (const name of ctx.app.units) {
    const unit = ctx.model.units[name];
    if (unit)
      units[name] = {
        status: unit.failedHook ? 'error' : unit.workloadStatus.status,
        since: unit.workloadStatus.since,
      };
  }
  const relations: Record<string, Record<string, unknown>> = {};
  for (const rel of Object.values(ctx.draft.relations)) {
    const own = rel.endpoints.find((e) => e.app === ctx.app.name);
    if (!own) continue;
    const bag = relations[own.endpoint] ?? {};
    relations[own.endpoint] = bag;
    for (const end of rel.endpoints) {
      if (end.app === ctx.app.name && rel.endpoints.length > 1) continue;
      bag[end.app] = { status: 'joined', since: new Date().toISOString() };
      for (const unit of ctx.model.apps[end.app]?.units ?? []) {
        if (unit !== ctx.unit.name)
          bag[unit] = { status: 'active', since: new Date().toISOString() };
      }
    }
  }
  return render({ units, relations }, flags.format, ['yaml', 'json']);
}

/** The network, port, storage and resource tools by name. */
export const miscTools = {
  'network-get': networkGet,
  'open-port': openPort,
  'close-port': closePort,
  'opened-ports': openedPorts,
  'storage-get': storageGet,
  'storage-list': storageList,
  'storage-add': storageAdd,
  'resource-get': resourceGet,
  'goal-state': goalState,
};
