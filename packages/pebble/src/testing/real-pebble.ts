/**
 * A real Pebble daemon for tests: `PEBBLE=<tmp> PEBBLE_PERSIST=never pebble run --create-dirs
 * --hold` in a fresh, short temp dir (UNIX socket paths are limited to 108 bytes), and a
 * `ContractTarget` over it.
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PebbleClient } from '../client.ts';
import type { ContractTarget } from '../contract/target.ts';
import { shlexSplit } from '../internal/shlex.ts';
import { waitUntil } from './wait.ts';

/** The command that installs the daemon the tests expect. */
export const pebbleInstallCommand = 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1';

function goBinDir(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', timeout: 5000, env });
    return gopath.trim() ? join(gopath.trim(), 'bin') : undefined;
  } catch {
    return undefined;
  }
}

/** The pebble binary: `$PEBBLE_BIN`, else on `PATH`, else in `$(go env GOPATH)/bin`. */
export function findPebbleBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PEBBLE_BIN) return existsSync(env.PEBBLE_BIN) ? env.PEBBLE_BIN : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pebble'))) return join(dir, 'pebble');
  }
  const goBin = goBinDir(env);
  if (goBin && existsSync(join(goBin, 'pebble'))) return join(goBin, 'pebble');
  return undefined;
}

/**
 * Why real-daemon tests cannot run (undefined when they can), for `describe.skipIf`.
 * @throws Error naming the install command when the binary is missing and `CI` is set: on CI
 *   a missing daemon is a failure, never a silent skip.
 */
export function realPebbleSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (findPebbleBinary(env)) return undefined;
  const message = `pebble not found ($PEBBLE_BIN, PATH, $(go env GOPATH)/bin); install it with: ${pebbleInstallCommand}`;
  if (env.CI) throw new Error(message);
  return message;
}

/** A running daemon and a client of it. */
export interface RealPebble {
  /** `$PEBBLE`: the daemon's state directory. */
  dir: string;
  socketPath: string;
  /** The daemon's process id. */
  pid: number;
  client: PebbleClient;
  /**
   * SIGKILLs the daemon at once (its services are killed by `close`); resolves once it has
   * exited, so a test can go on knowing it is gone.
   */
  kill(): Promise<void>;
  /** SIGKILLs the process group of a running service, as a crash would. */
  killService(service: string): Promise<void>;
  /** Stops the daemon and its services, and removes the directory. Idempotent. */
  close(): Promise<void>;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return out;
}

/** Processes whose environment has `PEBBLE=<dir>`: the daemon's services and execs. */
function processesWithPebbleDir(dir: string): number[] {
  const marker = `\0PEBBLE=${dir}\0`;
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(marker)) {
        out.push(Number(entry));
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return out;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** How long the daemon gets to stop on SIGTERM (it gives each service its kill-delay, 5 s). */
const STOP_DEADLINE_MS = 20_000;

/** SIGTERMs the daemon and waits for it to exit; SIGKILLs it (and waits) past the deadline. */
async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<true>((resolve) => child.once('exit', () => resolve(true)));
  child.kill('SIGTERM');
  const deadline = new AbortController();
  const stopped = await Promise.race([
    exited,
    delay(STOP_DEADLINE_MS, false, { signal: deadline.signal }).catch(() => false),
  ]);
  deadline.abort();
  if (stopped) return;
  child.kill('SIGKILL');
  await exited;
}

/** Options of `startRealPebble`. */
export interface StartRealPebbleOptions {
  /**
   * Optional: where the daemon listens (`$PEBBLE_SOCKET`), e.g. a charm container's
   * `<containers>/<name>/pebble.socket`; its folder must exist. Default `$PEBBLE/.pebble.socket`.
   */
  socketPath?: string;
}

/**
 * Starts a fresh daemon and waits (up to 30 s) until it answers.
 * @throws Error naming the install command when pebble is missing, or the daemon's stderr
 *   when it does not start.
 */
export async function startRealPebble(options: StartRealPebbleOptions = {}): Promise<RealPebble> {
  const binary = findPebbleBinary();
  if (!binary) throw new Error(`pebble not found; install it with: ${pebbleInstallCommand}`);
  const dir = await mkdtemp(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'pb-'));
  const socketPath = options.socketPath ?? join(dir, '.pebble.socket');
  const env: NodeJS.ProcessEnv = { ...process.env, PEBBLE: dir, PEBBLE_PERSIST: 'never' };
  if (options.socketPath) env.PEBBLE_SOCKET = options.socketPath;
  else delete env.PEBBLE_SOCKET;
  const child: ChildProcess = spawn(binary, ['run', '--create-dirs', '--hold'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pid = child.pid ?? 0;
  const client = new PebbleClient({ socketPath, retryMs: 0 });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await client.close();
    await stopDaemon(child);
    // Pebble stops its services on SIGTERM, but after a SIGKILL (kill(), or a daemon that
    // would not stop) they outlive it, re-parented to init: find them by their $PEBBLE, and
    // remove nothing until they are gone (one still writing there made rm fail ENOTEMPTY).
    await waitUntil(
      `the services of the pebble in ${dir} to exit`,
      () => {
        const left = processesWithPebbleDir(dir);
        for (const pid of left) killGroup(pid);
        return left.length === 0;
      },
      { intervalMs: 20, lastSeen: () => processesWithPebbleDir(dir).join(', ') },
    );
    if (options.socketPath) await rm(options.socketPath, { force: true });
    await rm(dir, { recursive: true, force: true });
  };
  let started: 'answers' | 'exited';
  try {
    started = await waitUntil(
      `pebble to answer on ${socketPath}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return 'exited';
        return existsSync(socketPath) && (await client.canConnect()) ? 'answers' : undefined;
      },
      { lastSeen: () => `stderr: ${stderr.trim() || '(none)'}` },
    );
  } catch (error) {
    await close();
    throw error;
  }
  if (started === 'exited') {
    await close();
    throw new Error(`pebble exited at start: ${stderr}`);
  }
  return {
    dir,
    socketPath,
    pid,
    client,
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      return exited;
    },
    killService: async (service) => {
      const plan = await client.getPlan();
      const command = plan.services[service]?.command;
      if (!command) throw new Error(`cannot kill service ${service}: it is not in the plan`);
      const words = shlexSplit(command).filter((w) => w !== '[' && w !== ']');
      const matches = childrenOf(pid).filter((p) => commandLine(p).join('\0') === words.join('\0'));
      if (matches.length !== 1) {
        throw new Error(
          `cannot kill service ${service}: ${matches.length} running processes match ${JSON.stringify(command)} (give it a unique command)`,
        );
      }
      killGroup(matches[0] as number);
    },
    close,
  };
}

/** A `ContractTarget` over a fresh real daemon, with `killService`. */
export async function realPebbleTarget(): Promise<ContractTarget> {
  const daemon = await startRealPebble();
  const scratchDir = join(daemon.dir, 'scratch');
  await mkdir(scratchDir);
  return {
    name: 'real pebble',
    pebble: daemon.client,
    scratchDir,
    killService: (service) => daemon.killService(service),
    close: () => daemon.close(),
  };
}
