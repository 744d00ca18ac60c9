/**
 * Reaching into a simulated pod from the test: its processes (found by network namespace) and
 * its loopback-only redis (through a forwarder that runs inside the pod's network namespace).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The pids of processes named `comm` in the network namespace `netns` (`ip netns` name). */
export function podPids(netns: string, comm: string): number[] {
  const inode = statSync(`/run/netns/${netns}`).ino;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      if (readlinkSync(`/proc/${entry}/ns/net`) === `net:[${inode}]`) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** A process's command line, as `ps` would show it. */
export function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
}

// Runs inside the pod's network namespace: a UNIX socket on the host side, 127.0.0.1:port on
// the pod side. Only the test uses it; redis itself stays on loopback.
const FORWARDER = `
const net = require('node:net');
const [path, port] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(port), '127.0.0.1');
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}).listen(path, () => process.stdout.write('ready\\n'));
`;

/** A forwarder from a UNIX socket at `path` to `127.0.0.1:port` inside `netns`. */
export async function forwardLoopback(
  nsenter: string,
  netns: string,
  port: number,
  dir: string,
): Promise<{ path: string; close: () => void }> {
  const path = join(dir, `forward-${port}.sock`);
  const child: ChildProcess = spawn(
    nsenter,
    [`--net=/run/netns/${netns}`, '--', process.execPath, '-e', FORWARDER, path, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`forwarder exited with ${code}`)));
    child.stdout?.once('data', () => resolve());
  });
  if (!existsSync(path)) throw new Error(`forwarder did not create ${path}`);
  return { path, close: () => child.kill('SIGKILL') };
}
