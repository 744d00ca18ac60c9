/**
 * `charm-sim`: the command line, a thin layer over {@link Simulator}. It parses the command
 * line (cli-args.ts), finds the command in the table (cli-commands.ts) and runs it; errors are
 * one line, `ERROR …`, and the exit code is 0, 1 (a command or a hook failed) or 2 (no
 * command).
 * @module
 */
import { checkOptions, parseCommandLine, parseDuration } from './cli-args.ts';
import { allOptions, type CliCommand, COMMANDS, findCommand } from './cli-commands.ts';
import { SimError } from './errors.ts';
import { jujuMain } from './juju/main.ts';
import { Simulator } from './simulator.ts';
import { defaultStateDir } from './store.ts';

const SUMMARY_COLUMN = 42;

function helpLine(command: CliCommand): string[] {
  const usage = `  ${command.name} ${command.usage}`;
  const [first, ...rest] = command.summary ?? [];
  if (first === undefined) return [usage];
  const indent = ' '.repeat(SUMMARY_COLUMN);
  const head =
    usage.length < SUMMARY_COLUMN - 1
      ? [`${usage.padEnd(SUMMARY_COLUMN)}${first}`]
      : [usage, `${indent}${first}`];
  return [...head, ...rest.map((line) => `${indent}${line}`)];
}

/** The `--help` text, from the command table. */
export function helpText(): string {
  return [
    'charm-sim: a local Juju for packed sidecar charms, with real Pebble in sandboxed pods.',
    '',
    'Usage: charm-sim [--state-dir DIR] [--hook-timeout 300s] <command> [args]',
    '',
    'Commands:',
    ...COMMANDS.flatMap(helpLine),
    ...helpLine({
      name: 'juju',
      usage: '<command> …',
      summary: [
        "Juju's command line over charm-sim (models,",
        'deploy, status --format json, run, …):',
        'charm-sim juju help',
      ],
      run: async () => 0,
    }),
    '',
    'State lives in --state-dir, default $CHARM_SIM_HOME or ~/.local/share/charm-sim.',
    'Needs root, bubblewrap (apt-get install bubblewrap), iproute2 and pebble.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // The juju front has its own command table, flags and Juju's error texts (juju/main.ts).
  if (argv[0] === 'juju') return jujuMain(argv.slice(1));
  try {
    const line = parseCommandLine(argv, allOptions());
    if (line.help || !line.command) {
      process.stdout.write(`${helpText()}\n`);
      return line.command || line.help ? 0 : 2;
    }
    const command = findCommand(line.command);
    if (!command) {
      throw new SimError('BAD_ARGUMENT', `unknown command "${line.command}": see charm-sim --help`);
    }
    checkOptions(line, command.options ?? {});
    const stateDir =
      (typeof line.values['state-dir'] === 'string' ? line.values['state-dir'] : undefined) ??
      defaultStateDir();
    const timeout = line.values['hook-timeout'];
    return await command.run({
      line,
      stateDir,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      withSimulator: async (body) => {
        const sim = Simulator.open({
          stateDir,
          ...(typeof timeout === 'string' ? { hookTimeoutMs: parseDuration(timeout) } : {}),
          progress: (text) => process.stderr.write(`${text}\n`),
        });
        try {
          const code = await body(sim);
          if (code !== undefined) return code;
          const problems = sim.takeProblems();
          for (const problem of problems) {
            process.stderr.write(`ERROR unit ${problem.unit}: ${problem.message}\n`);
          }
          return problems.length ? 1 : 0;
        } finally {
          sim.close();
        }
      },
    });
  } catch (error) {
    if (error instanceof SimError) {
      process.stderr.write(`ERROR ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// Only when bundled as the charm-sim executable, not when imported by tests.
if (process.argv[1]?.endsWith('cli.js')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
