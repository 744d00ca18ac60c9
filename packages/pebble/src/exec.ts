/**
 * Exec: `POST /v1/exec`, then the task's `control`, `stdio` and (unless stderr is combined)
 * `stderr` websockets, wrapped as an `ExecProcess` handle. The exit code comes from the exec
 * change (`tasks[0].data['exit-code']`).
 * @module
 */
import type { Readable } from 'node:stream';
import type { WebSocket } from 'undici';
import { waitChange } from './changes.ts';
import { ChangeError, ConnectionError, ExecError, ProtocolError, TimeoutError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import { msToGoDuration } from './internal/time.ts';
import {
  closeQuietly,
  type ExecConnections,
  execConnections,
  openSocket,
  receiveStream,
  type StreamEnd,
  sendControl,
  sendEnd,
  sendSource,
  sendStream,
  whenOpen,
} from './internal/websocket-io.ts';
import type { Change, ExecOptions, ExecProcess } from './types.ts';

/** Pebble fails the task when stdio is not connected within 5 s; stay inside that. */
const connectTimeoutMs = 4_500;
/** Once the change is done, Pebble has sent all output; allow this long for it to arrive. */
const drainTimeoutMs = 5_000;
/** How long to wait for Pebble to record why a failed exec failed. */
const failureWaitMs = 7_000;

interface ExecPayload {
  command: readonly string[];
  'service-context'?: string;
  environment?: Record<string, string>;
  'working-dir'?: string;
  timeout?: string;
  'user-id'?: number;
  user?: string;
  'group-id'?: number;
  group?: string;
  terminal: boolean;
  interactive: boolean;
  'split-stderr': boolean;
  width?: number;
  height?: number;
}

function payload(command: readonly string[], options: ExecOptions): ExecPayload {
  const body: ExecPayload = {
    command,
    terminal: options.terminal === true,
    // Pebble's "interactive" is a terminal mode; our `interactive` only keeps stdin open.
    interactive: options.terminal === true && options.interactive === true,
    'split-stderr': options.combineStderr !== true,
  };
  if (options.serviceContext !== undefined) body['service-context'] = options.serviceContext;
  if (options.environment !== undefined) body.environment = options.environment;
  if (options.workingDir !== undefined) body['working-dir'] = options.workingDir;
  if (options.timeoutMs !== undefined) body.timeout = msToGoDuration(options.timeoutMs);
  if (options.userId !== undefined) body['user-id'] = options.userId;
  if (options.user !== undefined) body.user = options.user;
  if (options.groupId !== undefined) body['group-id'] = options.groupId;
  if (options.group !== undefined) body.group = options.group;
  if (options.width !== undefined) body.width = options.width;
  if (options.height !== undefined) body.height = options.height;
  return body;
}

/**
 * Starts `command` and returns its handle once the I/O websockets are connected (the process
 * starts only then). Throws APIError when Pebble refuses the command (executable not found,
 * unknown user, bad working directory); ChangeError when the websockets cannot be connected
 * and Pebble failed the task; ConnectionError when the socket is unreachable.
 */
export async function exec(
  rq: Requester,
  command: readonly string[],
  options: ExecOptions = {},
): Promise<ExecProcess> {
  const { changeId, result } = await rq.async({
    method: 'POST',
    path: '/v1/exec',
    body: payload(command, options),
    signal: options.signal,
  });
  const taskId = (result as { 'task-id'?: unknown } | null)?.['task-id'];
  if (typeof taskId !== 'string' || !/^[a-z0-9]+$/.test(taskId)) {
    throw new ProtocolError(`cannot exec ${JSON.stringify(command)}: answer has no task-id`);
  }
  const connections = await execConnections(rq.socketPath);
  const { dispatcher } = connections;
  const base = `/v1/tasks/${taskId}/websocket`;
  const control = await openSocket(`${base}/control`, dispatcher);
  const stdio = await openSocket(`${base}/stdio`, dispatcher);
  const stderr = options.combineStderr ? undefined : await openSocket(`${base}/stderr`, dispatcher);
  // Listen before the sockets open: output may arrive before the slowest socket is up.
  const output = { stdout: receiveStream(stdio), stderr: stderr && receiveStream(stderr) };
  const sockets = stderr ? [control, stdio, stderr] : [control, stdio];
  const settled = await Promise.allSettled(
    sockets.map((ws) => whenOpen(ws, connectTimeoutMs, options.signal)),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const ws of sockets) closeQuietly(ws);
    connections.destroy();
    if (options.signal?.aborted) throw options.signal.reason;
    throw await connectFailure(rq, command, changeId, failed.reason);
  }
  return new Process(rq, command, changeId, options, {
    control,
    stdio,
    sockets,
    connections,
    output,
  });
}

async function connectFailure(
  rq: Requester,
  command: readonly string[],
  changeId: string,
  reason: unknown,
): Promise<Error> {
  const detail = reason instanceof Error ? reason.message : String(reason);
  try {
    const change = await waitChange(rq, changeId, { timeoutMs: failureWaitMs });
    if (change.err) return new ChangeError(change);
  } catch (error) {
    if (error instanceof ConnectionError) return error;
  }
  return new ConnectionError(
    rq.socketPath,
    `cannot exec ${JSON.stringify(command)}: ${detail} (change ${changeId}, socket ${rq.socketPath})`,
    { cause: reason },
  );
}

/** The connected sockets of one process, with their output already being received. */
interface ProcessIO {
  control: WebSocket;
  stdio: WebSocket;
  sockets: WebSocket[];
  connections: ExecConnections;
  output: { stdout: ReceivedStream; stderr: ReceivedStream | undefined };
}

type ReceivedStream = ReturnType<typeof receiveStream>;

/** The handle of one running command. */
class Process implements ExecProcess {
  readonly stdin: NodeJS.WritableStream | null;
  readonly stdout: Readable;
  readonly stderr: Readable | null;
  readonly #rq: Requester;
  readonly #command: readonly string[];
  readonly #changeId: string;
  readonly #options: ExecOptions;
  readonly #control: WebSocket;
  readonly #sockets: WebSocket[];
  readonly #connections: ExecConnections;
  readonly #outputEnded: Promise<unknown>;
  readonly #finishOutput: () => void;
  #stdinError: unknown;
  #exit: Promise<number> | undefined;
  #settled = false;
  /** Rejects when an output socket closes before its `end`: the connection dropped. */
  readonly #dropped: Promise<never>;

  constructor(
    rq: Requester,
    command: readonly string[],
    changeId: string,
    options: ExecOptions,
    io: ProcessIO,
  ) {
    const { control, stdio, sockets } = io;
    this.#rq = rq;
    this.#command = command;
    this.#changeId = changeId;
    this.#options = options;
    this.#control = control;
    this.#sockets = sockets;
    this.#connections = io.connections;
    const out = io.output.stdout;
    const err = io.output.stderr;
    this.stdout = out.stream;
    this.stderr = err?.stream ?? null;
    this.#outputEnded = Promise.all([out.ended, err?.ended]);
    this.#finishOutput = () => {
      out.finish();
      err?.finish();
    };
    this.#dropped = new Promise<never>((_, reject) => {
      const watch = (ended: Promise<StreamEnd>, name: string): void => {
        void ended.then((how) => {
          if (how !== 'close' || this.#settled) return;
          // Pebble would keep a process whose output nobody reads blocked forever: kill it.
          void this.signal('SIGKILL').catch(() => {});
          const message = `exec ${JSON.stringify(command)}: the ${name} connection to ${rq.socketPath} dropped`;
          reject(new ConnectionError(rq.socketPath, message));
        });
      };
      watch(out.ended, 'stdio');
      if (err) watch(err.ended, 'stderr');
    });
    this.#dropped.catch(() => {});
    // An aborted caller abandons the process: kill it rather than leave it running unseen.
    options.signal?.addEventListener(
      'abort',
      () => {
        if (!this.#settled) void this.signal('SIGKILL').catch(() => {});
      },
      { once: true },
    );
    if (options.stdin !== undefined) {
      this.stdin = null;
      sendSource(
        stdio,
        options.stdin as string | Uint8Array | AsyncIterable<Uint8Array | string>,
      ).catch((error: unknown) => {
        this.#stdinError = error;
      });
    } else if (options.interactive) {
      this.stdin = sendStream(stdio);
    } else {
      this.stdin = null;
      sendEnd(stdio);
    }
  }

  /**
   * Waits for the command to finish and returns its exit code (128+n after signal n).
   * Throws TimeoutError when `timeoutMs` killed it, ChangeError when Pebble failed the task,
   * ConnectionError when the daemon went away; the handle's sockets are closed in every case.
   */
  wait(): Promise<number> {
    this.#exit ??= this.#wait();
    return this.#exit;
  }

  async #wait(): Promise<number> {
    let change: Change;
    try {
      // Aborted when a socket drops: the change's outcome no longer matters then.
      const stop = new AbortController();
      const signals = this.#options.signal ? [this.#options.signal, stop.signal] : [stop.signal];
      const waiting = waitChange(this.#rq, this.#changeId, {
        timeoutMs: Number.POSITIVE_INFINITY,
        signal: AbortSignal.any(signals),
      });
      this.#dropped.catch(() => stop.abort());
      waiting.catch(() => {});
      change = await Promise.race([waiting, this.#dropped]);
      await Promise.race([
        this.#outputEnded,
        new Promise((r) => setTimeout(r, drainTimeoutMs).unref()),
      ]);
    } finally {
      this.#settled = true;
      this.#close();
    }
    if (change.err) {
      if (change.err.includes('timed out after')) {
        throw new TimeoutError(`command ${JSON.stringify(this.#command)} ${change.err}`);
      }
      throw new ChangeError(change);
    }
    if (this.#stdinError !== undefined) throw this.#stdinError;
    const code = change.tasks[0]?.data['exit-code'];
    if (typeof code !== 'number') {
      throw new ProtocolError(`exec change ${this.#changeId} finished without an exit code`);
    }
    return code;
  }

  /**
   * Collects stdout and stderr to strings and waits for the exit. Throws ExecError (with the
   * output) on a non-zero exit, and whatever `wait()` throws.
   */
  async waitOutput(): Promise<{ stdout: string; stderr: string }> {
    return waitForOutput(this, this.#command);
  }

  /**
   * Sends a signal by name (`SIGTERM`, `SIGINT`, …). Throws ConnectionError once the control
   * connection is closed (Pebble closes it when the process exits).
   */
  async signal(name: string): Promise<void> {
    this.#sendControl(`send ${name} to`, { command: 'signal', signal: { name } });
  }

  /** Resizes the terminal (Pebble ignores it without `terminal: true`). Throws as `signal` does. */
  async resize(width: number, height: number): Promise<void> {
    this.#sendControl('resize', { command: 'resize', resize: { width, height } });
  }

  #sendControl(verb: string, message: unknown): void {
    try {
      sendControl(this.#control, message);
    } catch (error) {
      const text = `cannot ${verb} ${JSON.stringify(this.#command)}: its control connection is closed (has it exited?)`;
      throw new ConnectionError(this.#rq.socketPath, text, { cause: error });
    }
  }

  #close(): void {
    for (const ws of this.#sockets) closeQuietly(ws);
    this.#connections.destroy();
    // Ends a stream whose socket never delivered `end`, so its readers finish.
    this.#finishOutput();
  }
}

/**
 * What `waitOutput()` does for any {@link ExecProcess} (this client's and the in-memory
 * Pebble's): collects stdout and stderr to strings and waits for the exit.
 * @throws ExecError (with the output) on a non-zero exit, and whatever `wait()` throws.
 */
export async function waitForOutput(
  process: Pick<ExecProcess, 'wait' | 'stdout' | 'stderr'>,
  command: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  const exit = process.wait();
  // wait() ends both streams when it settles, so collecting can never outlive it.
  exit.catch(() => {});
  const [stdout, stderr] = await Promise.all([collect(process.stdout), collect(process.stderr)]);
  const code = await exit;
  if (code !== 0) throw new ExecError(command, code, stdout, stderr);
  return { stdout, stderr };
}

async function collect(stream: Readable | null): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
