/**
 * Exec in the in-memory Pebble: the test author's handlers (matched by the longest command
 * prefix), else the built-in programs, else `cannot find executable` as Pebble answers.
 * Each run is an `exec` change whose task carries `exit-code`; the handle behaves like the
 * client's (`waitOutput` throws ExecError on a non-zero exit, a timeout is a TimeoutError).
 * @module
 */
import { constants } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import type { Change, ExecOptions, ExecProcess, PushSource } from '@charm-ts/pebble';
import { ChangeError, formatGoDuration, TimeoutError } from '@charm-ts/pebble';
import { waitForOutput } from '@charm-ts/pebble/internal';
import type { ChangeStore } from './changes.ts';
import type { Program, ProgramIO } from './exec-programs.ts';

/** What an exec handler is told about the command it runs. */
export interface ExecContext {
  command: readonly string[];
  /** Everything written to stdin (the handler runs once stdin has ended). */
  stdin: string;
  environment: Record<string, string>;
  workingDir: string;
  userId?: number;
  user?: string;
  groupId?: number;
  group?: string;
  serviceContext?: string;
}

/** What an exec handler returns: the process's output and exit code (default 0). */
export interface ExecResult {
  stdout?: string | Uint8Array;
  stderr?: string | Uint8Array;
  exitCode?: number;
}

/** A handler: a fixed result, or a function of the context. */
export type ExecHandler = ExecResult | ((context: ExecContext) => ExecResult | Promise<ExecResult>);

/** Turns a handler into a program. */
export function handlerProgram(handler: ExecHandler, context: Omit<ExecContext, 'stdin'>): Program {
  return async (io) => {
    const result =
      typeof handler === 'function'
        ? await handler({ ...context, stdin: io.stdin.toString('utf8') })
        : handler;
    if (result.stdout !== undefined) io.out(result.stdout);
    if (result.stderr !== undefined) io.err(result.stderr);
    return result.exitCode ?? 0;
  };
}

async function readSource(source: PushSource | undefined): Promise<Buffer> {
  if (source === undefined) return Buffer.alloc(0);
  if (typeof source === 'string') return Buffer.from(source);
  if (source instanceof Uint8Array) return Buffer.from(source);
  const chunks: Buffer[] = [];
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

class Killed extends Error {}

/** A running in-memory command. */
export class MemoryExecProcess implements ExecProcess {
  readonly stdin: NodeJS.WritableStream | null;
  readonly stdout: Readable;
  readonly stderr: Readable | null;
  readonly #command: readonly string[];
  readonly #change: Change;
  readonly #changes: ChangeStore;
  readonly #done: Promise<void>;
  #kill: ((code: number) => void) | undefined;
  #exitCode: number | undefined;

  constructor(args: {
    command: readonly string[];
    options: ExecOptions;
    change: Change;
    changes: ChangeStore;
    program: Program;
    environment: Record<string, string>;
    workingDir: string;
  }) {
    this.#command = args.command;
    this.#change = args.change;
    this.#changes = args.changes;
    const stdout = new PassThrough();
    const stderr = args.options.combineStderr ? null : new PassThrough();
    this.stdout = stdout;
    this.stderr = stderr;
    let input: Promise<Buffer>;
    if (args.options.interactive) {
      const stdin = new PassThrough();
      this.stdin = stdin;
      input = readSource(stdin);
    } else {
      this.stdin = null;
      input = readSource(args.options.stdin);
    }
    this.#done = this.#run(args, input, stdout, stderr ?? stdout);
  }

  async #run(
    args: {
      program: Program;
      options: ExecOptions;
      environment: Record<string, string>;
      workingDir: string;
    },
    input: Promise<Buffer>,
    stdout: PassThrough,
    stderr: PassThrough,
  ): Promise<void> {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const killed = new Promise<never>((_, reject) => {
      this.#kill = (code) => reject(Object.assign(new Killed(), { code }));
    });
    killed.catch(() => {});
    let timeout: ReturnType<typeof setTimeout> | undefined;
    if (args.options.timeoutMs !== undefined) {
      timeout = setTimeout(() => this.#kill?.(-1), args.options.timeoutMs);
    }
    const io: ProgramIO = {
      argv: this.#command,
      stdin: Buffer.alloc(0),
      environment: args.environment,
      workingDir: args.workingDir,
      out: (data) => stdout.write(data),
      err: (data) => stderr.write(data),
      sleep: (ms) =>
        Promise.race([
          killed,
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            timer.unref?.();
            timers.add(timer);
          }),
        ]),
    };
    let code: number;
    try {
      io.stdin = await Promise.race([killed, input]);
      code = await Promise.race([killed, args.program(io)]);
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
      code = (error as Killed & { code: number }).code;
    } finally {
      clearTimeout(timeout);
      for (const timer of timers) clearTimeout(timer);
      this.#kill = undefined;
    }
    const task = this.#change.tasks[0];
    if (task) {
      task.data = { 'exit-code': code };
      if (code === -1 && args.options.timeoutMs !== undefined) {
        const after = formatGoDuration(BigInt(Math.round(args.options.timeoutMs * 1e6)));
        this.#changes.log(task, 'ERROR', `timed out after ${after}: context deadline exceeded`);
        this.#changes.finishTask(this.#change, task, 'Error');
      } else {
        this.#changes.finishTask(this.#change, task, 'Done');
      }
    }
    this.#exitCode = code;
    stdout.end();
    if (stderr !== stdout) stderr.end();
  }

  /** The exit code; TimeoutError when `timeoutMs` killed it, ChangeError if the task failed. */
  async wait(): Promise<number> {
    await this.#done;
    const err = this.#change.err;
    if (err) {
      if (err.includes('timed out after')) {
        throw new TimeoutError(`command ${JSON.stringify(this.#command)} ${err}`);
      }
      throw new ChangeError(structuredClone(this.#change));
    }
    return this.#exitCode as number;
  }

  /** Collects the output; ExecError on a non-zero exit. */
  async waitOutput(): Promise<{ stdout: string; stderr: string }> {
    return waitForOutput(this, this.#command);
  }

  /** Kills the process with 128 + the signal's number; nothing once it has exited. */
  async signal(name: string): Promise<void> {
    const number = (constants.signals as Record<string, number>)[name];
    if (number !== undefined) this.#kill?.(128 + number);
  }

  /** Terminal resizes change nothing in memory. */
  async resize(_width: number, _height: number): Promise<void> {}
}
