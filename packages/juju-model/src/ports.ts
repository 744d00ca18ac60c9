/**
 * open-port, close-port, opened-ports, and Juju's text form of a port (`80/tcp`,
 * `1000-2000/udp`, `icmp`). Opening and closing are committed when the hook exits 0;
 * opened-ports lists what is already open.
 * @module
 */
import type { Port } from '@charm-ts/ops';
import type { HookContext } from './context.ts';
import { usageError } from './errors.ts';

const PORT = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/;

/**
 * A port argument (`8080`, `53/udp`, `1000-2000/tcp`, `icmp`) in Juju's canonical text form.
 * @throws JujuError exit 2 `no port or range specified`, `invalid port or range "x"`.
 */
export function parsePortSpec(arg: string | undefined): string {
  if (arg === undefined) throw usageError('no port or range specified');
  if (arg === 'icmp') return 'icmp';
  const match = PORT.exec(arg);
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || from < 1 || to > 65535 || to < from) {
    throw usageError(`invalid port or range "${arg}"`);
  }
  return `${from === to ? from : `${from}-${to}`}/${match[3] ?? 'tcp'}`;
}

/** A `Port` in Juju's text form. */
export function portText(port: Port): string {
  if (port.protocol === 'icmp') return 'icmp';
  const range = port.toPort !== undefined ? `${port.port}-${port.toPort}` : `${port.port}`;
  return `${range}/${port.protocol}`;
}

/** Juju's text form of a port as a `Port`. */
export function portFromText(text: string): Port {
  if (text === 'icmp') return { protocol: 'icmp' };
  const match = PORT.exec(text);
  const protocol = (match?.[3] ?? 'tcp') as 'tcp' | 'udp';
  const port = Number(match?.[1]);
  return match?.[2] === undefined
    ? { protocol, port }
    : { protocol, port, toPort: Number(match[2]) };
}

/** `open-port`: opens the port when the hook commits. */
export function openPort(ctx: HookContext, spec: string): void {
  if (!ctx.draft.ports.includes(spec)) ctx.draft.ports.push(spec);
}

/** `close-port`: closes the port when the hook commits. */
export function closePort(ctx: HookContext, spec: string): void {
  ctx.draft.ports = ctx.draft.ports.filter((p) => p !== spec);
}

/** `opened-ports`: the unit's open ports, without this hook's pending changes. */
export function openedPorts(ctx: HookContext): string[] {
  return [...ctx.unit.ports];
}
