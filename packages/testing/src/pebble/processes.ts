/**
 * How a modelled service process behaves. The built-in vocabulary covers what the contract
 * suite runs (`sleep N`; `/bin/sh -c "echo X; exit N"`); a test author's `ProcessModel`
 * decides for any other command. An unknown command keeps running, like a real workload.
 * @module
 */
import { shlexSplit } from './shlex.ts';

/** What a service's process does when started. */
export interface ProcessBehaviour {
  /** Optional: lines the process writes to its output at start. */
  output?: readonly string[];
  /** Optional: the process exits at once with this code; absent, it keeps running. */
  exitCode?: number;
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
    } else if (verb === 'sleep' || verb === 'exec') {
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
  return {};
}
