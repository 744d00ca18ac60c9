/**
 * The commands of `charm-sim`, one table: each entry's name (and aliases), its usage line and
 * summary for `--help`, its own options, and what it does over {@link Simulator}. A new
 * command (or a juju-compatible front) is one more entry; cli.ts only parses and dispatches.
 * @module
 */
import { configWithDefaults } from '@charm-ts/ops/metadata';
import { stringify } from 'yaml';
import {
  type CommandLine,
  type OptionSpec,
  parseActionArgs,
  parseDuration,
  parseResources,
  parseUnitCount,
} from './cli-args.ts';
import { SimError } from './errors.ts';
import { Simulator } from './simulator.ts';
import { formatStatus, statusView } from './status-view.ts';

/** What a command gets to run. */
export interface CommandContext {
  readonly line: CommandLine;
  /** The state directory: `--state-dir`, `$CHARM_SIM_HOME` or the default. */
  readonly stateDir: string;
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /**
   * Opens (and locks) the model, runs `body`, reports the hooks that failed meanwhile and
   * closes it (unless `body` destroyed it). Returns `body`'s exit code, or 1 when a hook
   * failed, else 0.
   */
  withSimulator(body: (sim: Simulator) => Promise<number | undefined>): Promise<number>;
}

/** One command of the table. */
export interface CliCommand {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** The usage line in `--help`, after the command name. */
  readonly usage: string;
  /** What it does, in `--help` (one or more lines). */
  readonly summary?: readonly string[];
  /** Its own options (the global ones are in cli-args.ts). */
  readonly options?: Readonly<Record<string, OptionSpec>>;
  run(context: CommandContext): Promise<number>;
}

/** The value of a string option (the last one given). */
function value(line: CommandLine, name: string): string | undefined {
  const v = line.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The values of a repeatable option. */
function values(line: CommandLine, name: string): string[] {
  const v = line.values[name];
  return Array.isArray(v) ? v : [];
}

/** The positional argument at `index`, or a usage error naming `what`. */
function need(line: CommandLine, index: number, what: string): string {
  const arg = line.positionals[index];
  if (arg === undefined)
    throw new SimError('BAD_ARGUMENT', `missing ${what}: see charm-sim --help`);
  return arg;
}

/** The settings `config APP` prints, as `juju config` does. */
function configSettings(sim: Simulator, app: string): string {
  const info = sim.state.apps[app];
  const settings: Record<string, unknown> = {};
  const effective = configWithDefaults(info?.charm.config ?? {}, info?.config ?? {});
  for (const [key, option] of Object.entries(info?.charm.config ?? {})) {
    settings[key] = {
      default: option.default,
      description: option.description,
      source: key in (info?.config ?? {}) ? 'user' : 'default',
      type: option.type,
      value: effective[key],
    };
  }
  return stringify(
    { application: app, charm: info?.charm.name, settings },
    { sortMapEntries: true },
  );
}

export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'deploy',
    usage: 'FILE.charm [APP] [--config k=v]… [--resource name=path]… [-n UNITS]',
    options: {
      config: { type: 'string', multiple: true },
      resource: { type: 'string', multiple: true },
      'num-units': { type: 'string', short: 'n' },
    },
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        const units = parseUnitCount(value(line, 'num-units') ?? '1', '-n');
        const app = line.positionals[1];
        await sim.deploy(need(line, 0, 'charm file'), {
          ...(app ? { app } : {}),
          config: values(line, 'config'),
          resources: parseResources(values(line, 'resource')),
          units,
        });
        return undefined;
      }),
  },
  {
    name: 'config',
    usage: 'APP [KEY | k=v…] [--reset KEY]',
    summary: ['show or change config (runs config-changed)'],
    options: { reset: { type: 'string', multiple: true } },
    run: ({ line, withSimulator, out }) =>
      withSimulator(async (sim) => {
        const app = need(line, 0, 'application');
        const args = line.positionals.slice(1);
        const sets = args.filter((a) => a.includes('='));
        const keys = args.filter((a) => !a.includes('='));
        const reset = values(line, 'reset').flatMap((r) => r.split(','));
        const settings = await sim.config(app, sets, reset);
        if (sets.length || reset.length) return undefined;
        if (keys.length === 1) {
          const v = settings[keys[0] as string];
          out(v === undefined ? '' : `${String(v)}\n`);
        } else {
          out(configSettings(sim, app));
        }
        return undefined;
      }),
  },
  {
    name: 'integrate',
    aliases: ['relate'],
    usage: 'APP[:EP] APP[:EP]',
    summary: ['relate two applications'],
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        await sim.integrate(need(line, 0, 'first endpoint'), need(line, 1, 'second endpoint'));
        return undefined;
      }),
  },
  {
    name: 'remove-relation',
    usage: 'APP[:EP] APP[:EP]',
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        await sim.removeRelation(need(line, 0, 'first endpoint'), need(line, 1, 'second endpoint'));
        return undefined;
      }),
  },
  {
    name: 'run',
    usage: 'UNIT ACTION [k=v…]',
    summary: ['run an action, print its results'],
    run: ({ line, withSimulator, out, err }) =>
      withSimulator(async (sim) => {
        const record = await sim.runAction(
          need(line, 0, 'unit'),
          need(line, 1, 'action'),
          parseActionArgs(line.positionals.slice(2)),
        );
        for (const entry of record.log) err(`${entry}\n`);
        if (Object.keys(record.results).length) {
          out(stringify(record.results, { sortMapEntries: true }));
        }
        if (record.status !== 'failed') return undefined;
        err(`ERROR the task failed with status "failed" with message: ${record.message}\n`);
        return 1;
      }),
  },
  {
    name: 'scale',
    usage: 'APP N',
    summary: ['add or remove units (N: 0 to 253 pods per model)'],
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        const count = parseUnitCount(need(line, 1, 'unit count'), 'scale');
        await sim.scale(need(line, 0, 'application'), count);
        return undefined;
      }),
  },
  {
    name: 'refresh',
    usage: 'APP FILE.charm',
    summary: ['upgrade to a new charm (stop, upgrade-charm, …)'],
    options: { path: { type: 'string' } },
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        const file = value(line, 'path') ?? need(line, 1, 'charm file');
        await sim.refresh(need(line, 0, 'application'), file);
        return undefined;
      }),
  },
  {
    name: 'resolve',
    aliases: ['resolved'],
    usage: 'UNIT',
    summary: ['retry the hook a unit failed (or run a stuck', "unit's queued hooks)"],
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        await sim.resolve(need(line, 0, 'unit'));
        return undefined;
      }),
  },
  {
    name: 'remove-unit',
    usage: 'UNIT…',
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        for (const unit of line.positionals) await sim.removeUnit(unit);
        return undefined;
      }),
  },
  {
    name: 'remove-application',
    usage: 'APP',
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        await sim.removeApplication(need(line, 0, 'application'));
        return undefined;
      }),
  },
  {
    name: 'update-status',
    usage: '[APP|UNIT]',
    summary: ['run update-status now'],
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        await sim.updateStatus(line.positionals[0]);
        return undefined;
      }),
  },
  {
    name: 'model-config',
    usage: '[update-status-hook-interval=5m]',
    summary: ['the interval watch uses'],
    run: ({ line, withSimulator, out }) =>
      withSimulator(async (sim) => {
        const settings = sim.modelConfig(line.positionals);
        if (line.positionals.length === 0) out(stringify(settings));
        return undefined;
      }),
  },
  {
    name: 'watch',
    usage: '[--for 60s] [--update-status-interval 5m]',
    summary: ['turn Pebble notices/checks into events as they come'],
    options: { for: { type: 'string' }, 'update-status-interval': { type: 'string' } },
    run: ({ line, withSimulator }) =>
      withSimulator(async (sim) => {
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        const every = value(line, 'update-status-interval');
        await sim.watch({
          durationMs: parseDuration(value(line, 'for') ?? '3600s'),
          ...(every ? { updateStatusMs: parseDuration(every) } : {}),
          signal: controller.signal,
        });
        return undefined;
      }),
  },
  {
    name: 'status',
    usage: '[--format json]',
    summary: ['read-only: shows queued hooks, never runs them'],
    options: { format: { type: 'string' } },
    // Read-only: no lock, no hook, nothing revived; queued hooks are shown, not run.
    run: async ({ line, stateDir, out }) => {
      const view = statusView(Simulator.readState(stateDir));
      out(
        value(line, 'format') === 'json'
          ? `${JSON.stringify(view, null, 2)}\n`
          : formatStatus(view),
      );
      return 0;
    },
  },
  {
    name: 'debug-log',
    usage: '[--include APP|UNIT] [--level INFO] [--lines N]',
    options: { include: { type: 'string' }, level: { type: 'string' }, lines: { type: 'string' } },
    run: ({ line, withSimulator, out }) =>
      withSimulator(async (sim) => {
        const lines = value(line, 'lines');
        const include = value(line, 'include');
        const level = value(line, 'level');
        out(
          sim.debugLog({
            ...(level ? { level } : {}),
            ...(include ? { include } : {}),
            ...(lines ? { lines: Number(lines) } : {}),
          }),
        );
        return undefined;
      }),
  },
  {
    name: 'destroy',
    usage: '[--force]',
    summary: [
      'stop every pod and delete the state directory',
      '(--force: even when the state cannot be read)',
    ],
    options: { force: { type: 'boolean' } },
    run: async ({ line, stateDir, withSimulator }) => {
      if (line.values.force === true) {
        await Simulator.forceDestroy(stateDir);
        return 0;
      }
      return withSimulator(async (sim) => {
        await sim.destroy();
        return undefined;
      });
    },
  },
];

/** The command named `name` (or one of its aliases). */
export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** Every command's options together, for the parser. */
export function allOptions(): Record<string, OptionSpec> {
  return Object.assign({}, ...COMMANDS.map((c) => c.options ?? {}));
}
