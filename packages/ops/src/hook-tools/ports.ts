/**
 * Port forms of `open-port`, `close-port` and `opened-ports`.
 * @module
 */
import type { Port } from './types.ts';

/** `{protocol:'tcp', port: 80}` → `80/tcp`; ranges `8000-8999/udp`; `icmp`. */
export function formatPort(p: Port): string {
  if (p.protocol === 'icmp') return 'icmp';
  if (p.port === undefined) throw new TypeError(`a ${p.protocol} port needs a port number`);
  const range = p.toPort === undefined ? `${p.port}` : `${p.port}-${p.toPort}`;
  return `${range}/${p.protocol}`;
}

/** Parses one `opened-ports` entry (`80/tcp`, `8000-8999/udp`, `icmp`, `80`, `80/tcp (ep)`). */
export function parsePort(text: string): Port {
  const bare = text.replace(/\s*\(.*\)$/, '').trim();
  if (bare === 'icmp') return { protocol: 'icmp' };
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(bare);
  if (!m) throw new TypeError(`unrecognised port '${text}'`);
  const port: Port = { protocol: (m[3] as 'tcp' | 'udp' | undefined) ?? 'tcp', port: Number(m[1]) };
  if (m[2] !== undefined) port.toPort = Number(m[2]);
  return port;
}
