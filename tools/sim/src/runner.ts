/**
 * Running one process to completion with a timeout, its output delivered line by line.
 * @module
 */
import { spawn } from 'node:child_process';

/** How a run ended. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `argv`; on timeout kills its whole process group. Never rejects for a failing process.
 * `onSpawn` gets the pid as soon as the process exists (to record it).
 */
export function runProcess(
  argv: readonly string[],
  timeoutMs: number,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
  onSpawn?: (pid: number) => void,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) onSpawn?.(child.pid);
    const out = { stdout: '', stderr: '' };
    const partial = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk: string) => {
        out[stream] += chunk;
        const lines = (partial[stream] + chunk).split('\n');
        partial[stream] = lines.pop() ?? '';
        for (const line of lines) onLine(stream, line);
      });
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        // The hook runs in its own process group (detached): kill all of it, never pid 0.
        if (!child.pid) throw new Error('no pid');
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      out.stderr += `${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream]) onLine(stream, partial[stream]);
      }
      resolve({ code, signal, timedOut, ...out });
    });
  });
}
