/**
 * What a model leaves on the machine: processes, network namespaces, links, mounts. Used to
 * check that `destroy --force` leaves nothing behind, whatever state a killed command left.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

/** The inode of a named network namespace (as /proc/PID/ns/net shows it), or undefined. */
export function netnsInode(name: string): number | undefined {
  const path = `/run/netns/${name}`;
  return existsSync(path) ? statSync(path).ino : undefined;
}

/**
 * Everything of the model in `stateDir` (bridge `bridge`) still on the machine, one line per
 * thing; empty when it is all gone. `netnsInodes`: the pods' namespaces, to find a process
 * still inside one after its name is gone.
 */
export function leftovers(stateDir: string, bridge: string, netnsInodes: number[]): string[] {
  const found: string[] = [];
  if (existsSync(stateDir)) found.push(`directory ${stateDir}`);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    let cmdline = '';
    let net = '';
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      net = readlinkSync(`/proc/${pid}/ns/net`);
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.includes(`${stateDir}/`)) found.push(`process ${pid}: ${cmdline.slice(0, 200)}`);
    else if (netnsInodes.some((ino) => net === `net:[${ino}]`))
      found.push(`process ${pid} in a pod's network namespace: ${cmdline.slice(0, 200)}`);
  }
  const ours = (name: string) =>
    name === bridge || name.startsWith(`${bridge}-`) || name.startsWith(`${bridge}p`);
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  for (const line of netns.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (name && ours(name)) found.push(`network namespace ${name}`);
  }
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout;
  for (const [, name] of links.matchAll(/^\d+: ([^:@\s]+)/gm)) {
    if (name && ours(name)) found.push(`link ${name}`);
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (line.includes(`/run/netns/${bridge}`) || line.includes(`${stateDir}/`))
      found.push(`mount ${line}`);
  }
  return found;
}
