/**
 * `new-charm` (`pnpm new-charm`): the command line over {@link createCharm}.
 * @module
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createCharm, referenceCharms } from './create-charm.ts';
import { CreateCharmError } from './errors.ts';
import { findWorkspaceRoot } from './files.ts';
import { DEFAULT_PORT, defaultCommand } from './scaffold.ts';

const HELP = `new-charm: a new charm in charms/<name>, wired into the workspace.

Usage: pnpm new-charm <name> [--container <c>] [--command "<cmd>"] [--port <n>]
       pnpm new-charm <name> --from <charm>

  <name>                 the charm's name: lowercase letters, digits and single hyphens,
                         starting with a letter, at most 40 characters (e.g. my-redis)
  --container <c>        the workload container (default: the charm's name)
  --command "<cmd>"      what Pebble runs in it (default: "${defaultCommand(DEFAULT_PORT)}")
  --port <n>             the port it listens on: its ready check (default: ${DEFAULT_PORT})
  --from <charm>         copy a charm of charms/ instead (snappass, hello-kubecon, …), with
                         every spelling of its name replaced by <name>
  -h, --help             this help

The template gives charmcraft.yaml (the container and its resource, a log-level option, a
restart action), src/charm.ts and src/<name>-charm.ts (reconcile(): a Pebble layer for the
command and a ready check on the port), unit tests (@charm-ts/testing), an e2e test in charm-sim
and a README. Nothing is written when the name is not a charm name or charms/<name> exists.

Then: pnpm install && pnpm build, and pnpm vitest run --project <name>.`;

/** The command's outcome: what to print and the exit code. */
export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function onPath(program: string): boolean {
  const dirs = program.includes('/') ? [''] : (process.env.PATH ?? '').split(delimiter);
  return dirs.some((dir) => {
    try {
      accessSync(dir ? join(dir, program) : program, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs `new-charm` with `argv` (without node and the script) in the workspace around `cwd`. */
export function runCli(argv: readonly string[], cwd: string = process.cwd()): CliResult {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return {
      stdout: '',
      stderr: `new-charm: ${(error as Error).message} (see pnpm new-charm --help)\n`,
      exitCode: 2,
    };
  }
  const { values, positionals } = parsed;
  if (values.help) return { stdout: `${HELP}\n`, stderr: '', exitCode: 0 };
  if (positionals.length !== 1) {
    const problem =
      positionals.length === 0
        ? 'give the new charm a name'
        : `one name, not ${positionals.length}: ${positionals.join(' ')}`;
    return {
      stdout: '',
      stderr: `new-charm: ${problem} (see pnpm new-charm --help)\n`,
      exitCode: 2,
    };
  }
  const [name] = positionals as [string];
  try {
    let port: number | undefined;
    if (values.port !== undefined) {
      port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
      if (!(port >= 1 && port <= 65535)) {
        throw new CreateCharmError(
          `--port ${values.port} is not a TCP port: give a whole number from 1 to 65535`,
        );
      }
    }
    const root = findWorkspaceRoot(cwd);
    const created = createCharm({
      root,
      name,
      ...(values.container !== undefined && { container: values.container }),
      ...(values.command !== undefined && { command: values.command }),
      ...(port !== undefined && { port }),
      ...(values.from !== undefined && { from: values.from }),
    });
    const dir = relative(root, created.dir);
    const lines = [
      `new-charm: wrote ${dir}/ (${created.files.length} files${values.from ? `, a copy of charms/${values.from}` : ''})`,
      ...created.files.map((file) => `  ${file}`),
    ];
    if (created.leftOut.length > 0) {
      lines.push(
        `left out: ${created.leftOut.join(', ')} (it installs ${values.from}'s workload, which charms/${values.from}/test-deps.sh already does; write your own for your workload)`,
      );
    }
    if (values.from === undefined) {
      const program =
        (values.command ?? defaultCommand(port ?? DEFAULT_PORT)).trim().split(/\s+/)[0] ?? '';
      if (!onPath(program)) {
        lines.push(
          `note: ${program} is not on this machine's PATH: the e2e test needs it (install it in charms/${name}/test-deps.sh)`,
        );
      }
    }
    for (const note of created.notes) lines.push(`note: ${note}`);
    lines.push(
      'next:',
      '  pnpm install && pnpm build        # link it into the workspace and pack it into dist/',
      `  pnpm vitest run --project ${name}`,
    );
    return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 };
  } catch (error) {
    if (!(error instanceof CreateCharmError)) throw error;
    return { stdout: '', stderr: `new-charm: ${error.message}\n`, exitCode: 1 };
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      container: { type: 'string' },
      command: { type: 'string' },
      port: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export { referenceCharms };
