/**
 * `POST /v1/exec` of an in-memory Pebble: the test's handlers by command prefix (the longest
 * wins), else the built-in programs; the exec change and its task; and the record of every
 * call a test reads afterwards (`execHistory`).
 * @module
 */
import type { ExecOptions, ExecProcess, Plan } from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';
import type { ChangeStore } from './changes.ts';
import { type ExecContext, type ExecHandler, handlerProgram, MemoryExecProcess } from './exec.ts';
import { execContext } from './exec-context.ts';
import { builtinProgram } from './exec-programs.ts';

/** One exec call, as recorded for tests. */
export interface ExecRecord extends ExecContext {
  exitCode?: number;
}

/** Runs execs and records them. */
export class ExecRunner {
  /** Every exec call made, oldest first. */
  readonly history: ExecRecord[] = [];
  readonly #handlers: Array<{ prefix: string[]; handler: ExecHandler }> = [];
  readonly #changes: ChangeStore;

  constructor(changes: ChangeStore) {
    this.#changes = changes;
  }

  /** Registers a handler for commands starting with `prefix` (the longest prefix wins). */
  handle(prefix: string | readonly string[], handler: ExecHandler): void {
    const words = typeof prefix === 'string' ? prefix.split(' ').filter(Boolean) : [...prefix];
    this.#handlers.push({ prefix: words, handler });
  }

  /**
   * Starts `command` under `plan` (a service context's environment, user, directory); `isDir`
   * checks the working directory. Throws APIError 400 with Pebble's text for an empty command
   * or one no handler or built-in program runs.
   */
  run(
    command: readonly string[],
    options: ExecOptions,
    plan: Plan,
    isDir: (path: string) => boolean,
  ): ExecProcess {
    if (command.length === 0) throw new APIError(400, 'must specify command');
    const context = execContext(command, options, plan, isDir);
    const { environment, workingDir } = context;
    const match = this.#handlers
      .filter((e) => e.prefix.every((word, i) => command[i] === word))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    const program = match
      ? handlerProgram(match.handler, context)
      : builtinProgram(command[0] as string);
    if (!program) throw new APIError(400, `cannot find executable "${command[0]}"`);
    const summary = `Execute command "${command[0]}"`;
    const change = this.#changes.create('exec', summary, [{ kind: 'exec', summary }]);
    const task = change.tasks[0];
    if (task) this.#changes.finishTask(change, task, 'Doing');
    const record: ExecRecord = { ...context, stdin: '' };
    this.history.push(record);
    return new MemoryExecProcess({
      command,
      options,
      change,
      changes: this.#changes,
      program: async (io) => {
        record.stdin = io.stdin.toString('utf8');
        const code = await program(io);
        record.exitCode = code;
        return code;
      },
      environment,
      workingDir,
    });
  }
}
