/**
 * Small helpers of the pebble-files bench: child processes (setup work and the Go CLI run
 * outside this process, so its RSS stays the client's), RSS readings, medians.
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs a command to completion; resolves with its stdout, rejects with its stderr. */
export function tool(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`)),
    );
  });
}

/** The SHA-256 of a file, computed by `sha256sum`. */
export async function sha256(path: string): Promise<string> {
  return (await tool('sha256sum', [path])).split(' ')[0] ?? '';
}

/** This process's peak RSS so far (VmHWM), in MiB. */
export function vmHwmMiB(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Samples this process's RSS every 5 ms while `work` runs; returns its result and the peak. */
export async function withRssPeak<T>(work: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const value = await work();
    return { value, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * CPU seconds used so far by this process (`self`) and by its waited-for children
 * (`children`, from /proc/self/stat: a finished Go CLI run is counted there).
 */
export function cpuSeconds(): { self: number; children: number } {
  const usage = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the parenthesised command; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return { self: (usage.user + usage.system) / 1e6, children: ticks / 100 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
