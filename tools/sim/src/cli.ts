/**
 * `charm-sim`: the command line, a thin layer over {@link Simulator}.
 * @module
 */
import { stringify } from 'yaml';
import { type CliArgs, parseCli, parseDuration, parseUnitCount } from './cli-args.ts';
import { effectiveConfig } from './config.ts';
import { SimError } from './errors.ts';
import { parseActionArgs, Simulator } from './simulator.ts';
import { formatStatus, statusView } from './status-view.ts';
import { defaultStateDir } from './store.ts';

const HELP = `charm-sim: a local Juju for packed sidecar charms, with real Pebble in sandboxed pods.

Usage: charm-sim [--state-dir DIR] [--hook-timeout 300s] <command> [args]

Commands:
  deploy FILE.charm [APP] [--config k=v]… [--resource name=path]… [-n UNITS]
  config APP [KEY | k=v…] [--reset KEY]   show or change config (runs config-changed)
  integrate APP[:EP] APP[:EP]             relate two applications
  remove-relation APP[:EP] APP[:EP]
  run UNIT ACTION [k=v…]                  run an action, print its results
  scale APP N                             add or remove units (N: 0 to 253 pods per model)
  refresh APP FILE.charm                  upgrade to a new charm (stop, upgrade-charm, …)
  resolve UNIT                            retry the hook a unit failed (or run a stuck
                                          unit's queued hooks)
  remove-unit UNIT…
  remove-application APP
  update-status [APP|UNIT]                run update-status now
  model-config [update-status-hook-interval=5m]   the interval watch uses
  watch [--for 60s] [--update-status-interval 5m]
                                          turn Pebble notices/checks into events as they come
  status [--format json]                  read-only: shows queued hooks, never runs them
  debug-log [--include APP|UNIT] [--level INFO] [--lines N]
  destroy [--force]                       stop every pod and delete the state directory
                                          (--force: even when the state cannot be read)

State lives in --state-dir, default $CHARM_SIM_HOME or ~/.local/share/charm-sim.
Needs root, bubblewrap (apt-get install bubblewrap), iproute2 and pebble.`;

function one(args: CliArgs, name: string): string | undefined {
  return args.options[name]?.at(-1);
}

function need(value: string | undefined, what: string): string {
  if (value === undefined)
    throw new SimError('BAD_ARGUMENT', `missing ${what}: see charm-sim --help`);
  return value;
}

async function run(args: CliArgs, out: (text: string) => void): Promise<number> {
  const stateDir = one(args, 'state-dir') ?? defaultStateDir();
  const timeout = one(args, 'hook-timeout');
  if (args.command === 'destroy' && args.options.force) {
    await Simulator.forceDestroy(stateDir);
    return 0;
  }
  if (args.command === 'status') {
    // Read-only: no lock, no hook, nothing revived; queued hooks are shown, not run.
    const view = statusView(Simulator.readState(stateDir));
    out(one(args, 'format') === 'json' ? `${JSON.stringify(view, null, 2)}\n` : formatStatus(view));
    return 0;
  }
  const sim = Simulator.open({
    stateDir,
    ...(timeout ? { hookTimeoutMs: parseDuration(timeout) } : {}),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  let destroyed = false;
  try {
    const p = args.positional;
    switch (args.command) {
      case 'deploy': {
        const resources: Record<string, string> = {};
        for (const r of args.options.resource ?? []) {
          const eq = r.indexOf('=');
          if (eq <= 0)
            throw new SimError('BAD_ARGUMENT', `--resource expects name=path, got "${r}"`);
          resources[r.slice(0, eq)] = r.slice(eq + 1);
        }
        const units = parseUnitCount(one(args, 'n') ?? one(args, 'num-units') ?? '1', '-n');
        await sim.deploy(need(p[0], 'charm file'), {
          ...(p[1] ? { app: p[1] } : {}),
          config: args.options.config ?? [],
          resources,
          units,
        });
        break;
      }
      case 'config': {
        const app = need(p[0], 'application');
        const sets = p.slice(1).filter((a) => a.includes('='));
        const keys = p.slice(1).filter((a) => !a.includes('='));
        const reset = (args.options.reset ?? []).flatMap((r) => r.split(','));
        const values = await sim.config(app, sets, reset);
        if (sets.length || reset.length) break;
        const info = sim.state.apps[app];
        if (keys.length === 1) {
          const v = values[keys[0] as string];
          out(v === undefined ? '' : `${String(v)}\n`);
          break;
        }
        const settings: Record<string, unknown> = {};
        for (const [key, option] of Object.entries(info?.charm.config ?? {})) {
          settings[key] = {
            default: option.default,
            description: option.description,
            source: key in (info?.config ?? {}) ? 'user' : 'default',
            type: option.type,
            value: effectiveConfig(info?.charm.config ?? {}, info?.config ?? {})[key],
          };
        }
        out(
          stringify(
            { application: app, charm: info?.charm.name, settings },
            { sortMapEntries: true },
          ),
        );
        break;
      }
      case 'integrate':
      case 'relate':
        await sim.integrate(need(p[0], 'first endpoint'), need(p[1], 'second endpoint'));
        break;
      case 'remove-relation':
        await sim.removeRelation(need(p[0], 'first endpoint'), need(p[1], 'second endpoint'));
        break;
      case 'run': {
        const record = await sim.runAction(
          need(p[0], 'unit'),
          need(p[1], 'action'),
          parseActionArgs(p.slice(2)),
        );
        for (const line of record.log) process.stderr.write(`${line}\n`);
        if (Object.keys(record.results).length)
          out(stringify(record.results, { sortMapEntries: true }));
        if (record.status === 'failed') {
          process.stderr.write(
            `ERROR the task failed with status "failed" with message: ${record.message}\n`,
          );
          return 1;
        }
        break;
      }
      case 'scale':
        await sim.scale(
          need(p[0], 'application'),
          parseUnitCount(need(p[1], 'unit count'), 'scale'),
        );
        break;
      case 'refresh':
        await sim.refresh(need(p[0], 'application'), need(one(args, 'path') ?? p[1], 'charm file'));
        break;
      case 'resolve':
      case 'resolved':
        await sim.resolve(need(p[0], 'unit'));
        break;
      case 'remove-unit':
        for (const unit of p) await sim.removeUnit(unit);
        break;
      case 'remove-application':
        await sim.removeApplication(need(p[0], 'application'));
        break;
      case 'model-config': {
        const values = sim.modelConfig(p);
        if (p.length === 0) out(stringify(values));
        break;
      }
      case 'update-status':
        await sim.updateStatus(p[0]);
        break;
      case 'watch': {
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        const every = one(args, 'update-status-interval');
        await sim.watch({
          durationMs: parseDuration(one(args, 'for') ?? '3600s'),
          ...(every ? { updateStatusMs: parseDuration(every) } : {}),
          signal: controller.signal,
        });
        break;
      }
      case 'debug-log': {
        const lines = one(args, 'lines');
        const include = one(args, 'include');
        const level = one(args, 'level');
        out(
          sim.debugLog({
            ...(level ? { level } : {}),
            ...(include ? { include } : {}),
            ...(lines ? { lines: Number(lines) } : {}),
          }),
        );
        break;
      }
      case 'destroy':
        await sim.destroy();
        destroyed = true;
        break;
      default:
        throw new SimError(
          'BAD_ARGUMENT',
          `unknown command "${args.command}": see charm-sim --help`,
        );
    }
    const problems = sim.takeProblems();
    for (const problem of problems)
      process.stderr.write(`ERROR unit ${problem.unit}: ${problem.message}\n`);
    return problems.length ? 1 : 0;
  } finally {
    if (!destroyed) sim.close();
  }
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.help || !args.command) {
      process.stdout.write(`${HELP}\n`);
      return args.command || args.help ? 0 : 2;
    }
    return await run(args, (text) => process.stdout.write(text));
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
