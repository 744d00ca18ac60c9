/**
 * How a modelled service process behaves. The built-in vocabulary covers what the contract
 * suite runs (`sleep N`; `/bin/sh -c "echo X; exit N"`); a test author's `ProcessModel`
 * decides for any other command. An unknown command keeps running, like a real workload.
 * @module
 */
import { shlexSplit } from '@charm-ts/pebble/internal';

/** What a service's process does when started. */
export interface ProcessBehaviour {
  /** Optional: lines the process writes to its output at start. */
  output?: readonly string[];
  /** Optional: the process exits at once with this code; absent, it keeps running. */
  exitCode?: number;
  /**
   * Optional: the signals that end the process (it then exits as killed, code -1, and
   * Pebble's on-failure action follows). Default: every signal whose default action
   * terminates for the built-in commands; SIGTERM, SIGINT, SIGQUIT and SIGKILL otherwise.
   */
  fatalSignals?: readonly string[];
}

/** Signals whose default action does not end a process. */
const harmless = new Set([
  'SIGCHLD',
  'SIGCONT',
  'SIGURG',
  'SIGWINCH',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
]);

/** Whether `signal` ends a process with this behaviour. */
export function isFatal(behaviour: ProcessBehaviour, signal: string): boolean {
  if (behaviour.fatalSignals) return behaviour.fatalSignals.includes(signal);
  return ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGKILL'].includes(signal);
}

/**
 * A test author's hook: return how `command` behaves for `service`, or undefined to use
 * the built-in vocabulary.
 */
export type ProcessModel = (command: string, service: string) => ProcessBehaviour | undefined;

const shells = new Set([
  'sh',
  'bash',
  'dash',
  '/bin/sh',
  '/bin/bash',
  '/usr/bin/sh',
  '/usr/bin/bash',
  '/bin/dash',
]);

/** Runs a shell script's statements: `echo`, `exit N`, `sleep`, `true`, `false`. */
const allFatal = (): string[] =>
  'SIGABRT SIGALRM SIGBUS SIGFPE SIGHUP SIGILL SIGINT SIGIO SIGKILL SIGPIPE SIGPROF SIGPWR SIGQUIT SIGSEGV SIGSTKFLT SIGSYS SIGTERM SIGTRAP SIGUSR1 SIGUSR2 SIGVTALRM SIGXCPU SIGXFSZ'
    .split(' ')
    .filter((s) => !harmless.has(s));

function runScript(script: string): ProcessBehaviour {
  const output: string[] = [];
  let status = 0;
  for (const statement of script.split(/;|&&|\n/)) {
    const words = shlexSplit(statement.trim());
    const [verb, ...args] = words;
    if (verb === undefined) continue;
    if (verb === 'echo') {
      output.push(args.join(' '));
      status = 0;
    } else if (verb === 'exit') {
      return { output, exitCode: Number(args[0] ?? status) };
    } else if (verb === 'sleep') {
      return { output, fatalSignals: allFatal() };
    } else if (verb === 'exec') {
      return { output };
    } else if (verb === 'true' || verb === ':') {
      status = 0;
    } else if (verb === 'false') {
      status = 1;
    } else {
      // Anything else is taken as a long-running workload started by the script.
      return { output };
    }
  }
  return { output, exitCode: status };
}

/** The built-in behaviour of `command`. */
export function builtinBehaviour(command: string): ProcessBehaviour {
  const words = shlexSplit(command.replace(/\[|\]/g, ' '));
  const [program, ...args] = words;
  if (program !== undefined && shells.has(program) && args[0] === '-c' && args[1] !== undefined) {
    return runScript(args[1]);
  }
  if (program === 'true') return { exitCode: 0 };
  if (program === 'false') return { exitCode: 1 };
  if (program === 'echo') return { output: [args.join(' ')], exitCode: 0 };
  if (program === 'sleep' || program === '/bin/sleep' || program === '/usr/bin/sleep') {
    return { fatalSignals: allFatal() };
  }
  return {};
}

/**
 * The exit code of an exec check's `command`: `test -f/-d/-e PATH` answered from the
 * container's files (`typeOf`), any other command by the built-in vocabulary.
 */
export function checkExitCode(
  command: string,
  typeOf: (path: string) => 'file' | 'directory' | undefined,
): number {
  const words = shlexSplit(command);
  if ((words[0] === 'test' || words[0] === '/usr/bin/test') && words.length === 3) {
    const [, flag, path] = words as [string, string, string];
    const type = typeOf(path);
    const ok =
      flag === '-e'
        ? type !== undefined
        : flag === '-f'
          ? type === 'file'
          : flag === '-d'
            ? type === 'directory'
            : false;
    return ok ? 0 : 1;
  }
  return builtinBehaviour(command).exitCode ?? 0;
}
