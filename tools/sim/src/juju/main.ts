/**
 * `charm-sim juju …` and the `juju` shim (tools/sim/bin/juju): the part of the Juju 3.6 command
 * line that charm integration tests use (jubilant's calls), over the simulator. Each model is a
 * charm-sim state directory of the controller directory (see controller.ts). Output formats,
 * exit codes and the error texts callers read follow Juju's: `ERROR <message>` on stderr, exit 2
 * for a wrong command line or what charm-sim does not support (named), 1 for a failure.
 * @module
 */
import { SimError } from '../errors.ts';
import { Simulator } from '../simulator.ts';
import { COMMON_FLAGS, MODEL_FLAG, type OptionSpec, parseJujuArgs } from './args.ts';
import { APP_COMMANDS } from './commands-app.ts';
import { MODEL_COMMANDS } from './commands-model.ts';
import { READ_COMMANDS } from './commands-read.ts';
import { TASK_COMMANDS } from './commands-task.ts';
import type { JujuCommand, JujuContext, SelectedModel } from './context.ts';
import { openWaiting } from './context.ts';
import { Controller, controllerDir } from './controller.ts';
import { JujuError, unsupported, usageError } from './errors.ts';
import { KNOWN_UNSUPPORTED } from './unsupported.ts';

/** Every command of the juju front. */
export const JUJU_COMMANDS: readonly JujuCommand[] = [
  ...MODEL_COMMANDS,
  ...APP_COMMANDS,
  ...TASK_COMMANDS,
  ...READ_COMMANDS,
];

/** Where the juju front writes. */
export interface JujuIo {
  out(text: string): void;
  err(text: string): void;
  readonly env?: NodeJS.ProcessEnv;
}

const stdio: JujuIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The juju command named `name` (or one of its aliases). */
export function findJujuCommand(name: string): JujuCommand | undefined {
  return JUJU_COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** `juju help`: the supported commands, and where the rest is said. */
export function jujuHelp(): string {
  const width = Math.max(...JUJU_COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "charm-sim's juju: the part of the Juju 3.6 command line that charm integration tests use,",
    'over charm-sim (a model is a charm-sim state directory; no controller, no Kubernetes).',
    '',
    'Usage: juju <command> [options] [args]   (or: charm-sim juju <command> …)',
    '',
    'Commands:',
    ...JUJU_COMMANDS.map((c) => `    ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Any other Juju command exits 2 with a message naming it. `juju <command> --help` for its flags.',
    'Models live in $CHARM_SIM_JUJU_HOME (default ~/.local/share/charm-sim-juju).',
  ].join('\n');
}

function commandHelp(command: JujuCommand): string {
  const flags = Object.entries({
    ...(command.model === false ? {} : MODEL_FLAG),
    ...(command.flags ?? {}),
  })
    .map(([name, spec]) => `${spec.short ? `-${spec.short}, ` : ''}--${name}`)
    .join(', ');
  return [
    `Usage: juju ${command.name} [options] ${command.usage}`.trimEnd(),
    '',
    `Summary: ${command.summary}`,
    ...(flags ? ['', `Options: ${flags}`] : []),
    ...(command.unsupportedFlags
      ? [
          `Not supported (exit 2): ${Object.keys(command.unsupportedFlags)
            .map((f) => `--${f}`)
            .join(', ')}`,
        ]
      : []),
  ].join('\n');
}

/** Runs `juju <argv…>`; returns the exit code. */
export async function jujuMain(argv: readonly string[], io: JujuIo = stdio): Promise<number> {
  const env = io.env ?? process.env;
  try {
    // Global flags may come before the command (`juju --debug status`).
    let at = 0;
    while (at < argv.length && isCommonFlag(argv[at] as string)) at++;
    const name = argv[at];
    const rest = argv.slice(at + 1);
    if (name === undefined || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = topic === undefined ? undefined : findJujuCommand(topic);
      io.out(`${command ? commandHelp(command) : jujuHelp()}\n`);
      return 0;
    }
    const command = findJujuCommand(name);
    if (!command) {
      if (KNOWN_UNSUPPORTED.has(name))
        throw unsupported(`"juju ${name}"`, 'see juju help for what it does');
      throw usageError(`unrecognized command: juju ${name}`);
    }
    const [flagArgs, extra] = command.split ? command.split(rest) : [rest, []];
    const flagSpecs: Record<string, OptionSpec> = {
      ...(command.model === false ? {} : MODEL_FLAG),
      ...(command.flags ?? {}),
      ...(command.unsupportedFlags ?? {}),
    };
    const args = parseJujuArgs(flagArgs, flagSpecs);
    if (args.values.help === true) {
      io.out(`${commandHelp(command)}\n`);
      return 0;
    }
    for (const flagName of Object.keys(command.unsupportedFlags ?? {})) {
      if (args.values[flagName] !== undefined) {
        throw unsupported(`juju ${command.name} --${flagName}`);
      }
    }
    const controller = Controller.load(controllerDir(env));
    return await command.run(makeContext(args, controller, io, env), extra);
  } catch (error) {
    if (error instanceof JujuError) {
      io.err(`ERROR ${error.message}${error.message.endsWith('\n') ? '' : '\n'}`);
      return error.exitCode;
    }
    if (error instanceof SimError) {
      io.err(`ERROR ${error.message}\n`);
      return error.code === 'BAD_ARGUMENT' ? 2 : 1;
    }
    throw error;
  }
}

function isCommonFlag(arg: string): boolean {
  return Object.entries(COMMON_FLAGS).some(
    ([name, spec]) => arg === `--${name}` || (spec.short !== undefined && arg === `-${spec.short}`),
  );
}

function makeContext(
  args: JujuContext['args'],
  controller: Controller,
  io: JujuIo,
  env: NodeJS.ProcessEnv,
): JujuContext {
  const model = (): SelectedModel => {
    const ref = typeof args.values.model === 'string' ? args.values.model : undefined;
    const [name, entry] = controller.resolve(ref, env);
    return { name, entry };
  };
  return {
    args,
    controller,
    env,
    out: (text) => io.out(text),
    err: (text) => io.err(text),
    model,
    readModel: () => {
      const selected = model();
      return { ...selected, state: Simulator.readState(selected.entry.dir) };
    },
    withModel: async (body, options = {}) => {
      const selected = model();
      const sim = await openWaiting(selected.entry.dir, options, (line) => io.err(`${line}\n`));
      try {
        return await body(sim, selected);
      } finally {
        // Hook failures show in status, as in Juju; the command itself succeeded.
        sim.takeProblems();
        sim.close();
      }
    },
  };
}
