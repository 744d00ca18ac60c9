/**
 * The juju commands that run something in units: run (an action), exec (a command in the
 * unit's hook context), ssh (a command in a container), show-task. Results are Juju 3's
 * (`{unit: {id, status, results, …}}`); a task whose process exits non-zero makes the command
 * exit 1 with `the following task failed`, and one that outlives `--wait` with `timed out
 * waiting for results from`, the texts jubilant reads.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SimError } from '../errors.ts';
import type { ActionRecord, ModelState } from '../model.ts';
import { durationFlag, flag, flags, isSet, type JujuArgs, outputFormat } from './args.ts';
import type { JujuCommand, JujuContext } from './context.ts';
import { JujuError, unsupported, usageError } from './errors.ts';
import { formatted } from './output.ts';
import { failedTasksMessage, plainTask, processFailed, taskResult } from './tasks.ts';

/** An action or key name (Juju's nameRule). */
const NAME = /^[a-z](?:[a-z-]*[a-z])?$/;
const UNIT_OR_LEADER = /^([a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*)\/(\d+|leader)$/;

/** `app/leader` as the leader's unit name (unchanged for a unit name). */
function resolveLeader(state: ModelState, receiver: string): string {
  const match = UNIT_OR_LEADER.exec(receiver);
  if (match?.[2] !== 'leader') return receiver;
  const app = state.apps[match[1] as string];
  if (!app) throw new JujuError(`application "${match[1]}" not found`);
  if (!app.leader) throw new JujuError(`could not determine leader for "${match[1]}"`);
  return app.leader;
}

/** Sets `keys` (a.b.c) to `value` in `target`, making the maps on the way. */
function setNested(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let next = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      next[key] = value;
      return;
    }
    const inner = next[key];
    if (!inner || typeof inner !== 'object' || Array.isArray(inner)) next[key] = {};
    next = next[key] as Record<string, unknown>;
  });
}

/** The action's parameters: `--params` file, then `key.key=value` arguments over it. */
function actionParams(args: JujuArgs, pairs: readonly string[]): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  const file = flag(args, 'params');
  if (file !== undefined) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new JujuError(`cannot read params file ${file}: ${(cause as Error).message}`);
    }
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
      throw new JujuError('params must contain a YAML map with string keys');
    }
    params = (doc ?? {}) as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw usageError(`argument "${pair}" must be of the form key.key.key...=value`);
    const keys = pair.slice(0, eq).split('.');
    for (const key of keys) {
      if (!NAME.test(key)) {
        throw usageError(
          `key "${key}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens`,
        );
      }
    }
    const raw = pair.slice(eq + 1);
    setNested(params, keys, isSet(args, 'string-args') ? raw : parse(raw));
  }
  return params;
}

/** Writes tasks' results in `format`; returns the exit code (1 when a process failed). */
function report(
  context: JujuContext,
  records: readonly ActionRecord[],
  format: 'plain' | 'json' | 'yaml',
): number {
  if (format === 'plain' && records.length === 1) {
    context.out(plainTask(records[0] as ActionRecord));
  } else {
    const out: Record<string, unknown> = {};
    for (const record of records) out[record.unit] = taskResult(record);
    context.out(formatted(out, format === 'plain' ? 'yaml' : format));
  }
  const failed = records.filter(processFailed);
  if (failed.length) {
    context.err(`ERROR ${failedTasksMessage(failed)}`);
    return 1;
  }
  return 0;
}

/** The error when tasks were killed at `--wait` (exit 1). */
function timedOut(records: readonly ActionRecord[]): JujuError | undefined {
  const late = records.filter((r) => r.returnCode === null);
  if (!late.length) return undefined;
  return new JujuError(
    `timed out waiting for results from: ${late.map((r) => `unit ${r.unit}`).join(', ')}`,
  );
}

const run: JujuCommand = {
  name: 'run',
  aliases: ['run-action'],
  usage: '<unit> [<unit> ...] <action-name> [<key>=<value> [<key>[.<key> ...]=<value>]]',
  summary: 'run an action on units and wait for its results',
  flags: {
    format: { type: 'string' },
    params: { type: 'string' },
    wait: { type: 'string' },
    'string-args': { type: 'boolean' },
    utc: { type: 'boolean' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  },
  unsupportedFlags: { background: { type: 'boolean' } },
  run: async (context) => {
    const { args } = context;
    const receivers: string[] = [];
    let action: string | undefined;
    for (const arg of args.positionals) {
      if (UNIT_OR_LEADER.test(arg)) receivers.push(arg);
      else if (NAME.test(arg)) {
        action = arg;
        break;
      } else throw usageError(`invalid unit or action name "${arg}"`);
    }
    if (!receivers.length) throw usageError('no unit specified');
    if (action === undefined) throw usageError('no action specified');
    if (new Set(receivers.map((r) => r.split('/')[0])).size > 1) {
      throw usageError('all units must be of the same application');
    }
    const params = actionParams(args, args.positionals.slice(receivers.length + 1));
    const format = outputFormat(args, ['plain', 'json', 'yaml'], 'plain');
    const waitMs = durationFlag(args, 'wait', 60_000);
    const name = action;
    const records = await context.withModel(
      async (sim) => {
        const done: ActionRecord[] = [];
        const errors: string[] = [];
        for (const receiver of receivers) {
          try {
            const unit = resolveLeader(sim.state, receiver);
            done.push(await sim.runAction(unit, name, params, { timeoutMs: waitMs }));
          } catch (error) {
            // As Juju 3.6: an action that cannot be enqueued is reported, not an error.
            if (!(error instanceof SimError || error instanceof JujuError)) throw error;
            errors.push(error.message);
          }
        }
        if (errors.length) {
          const id = sim.state.nextActionId;
          context.err(
            done.length
              ? `Some actions could not be scheduled:\n${errors.join('\n')}\n\n`
              : `Operation ${id} failed to schedule any tasks:\n${errors.join('\n')}\n`,
          );
        }
        for (const record of done) {
          context.err(
            `Running operation ${record.id} with 1 task\n  - task ${record.id} on unit-${record.unit.replace('/', '-')}\n\n`,
          );
        }
        return done;
      },
      { hookTimeoutMs: Math.max(waitMs, 300_000) },
    );
    if (!records.length) return 0;
    const late = timedOut(records);
    if (late) throw late;
    return report(context, records, format);
  },
};

const exec: JujuCommand = {
  name: 'exec',
  usage: '--unit <unit>[,<unit>…] | --application <app> -- <commands>',
  summary: "run a command in units' charm containers, with their hook context",
  flags: {
    unit: { type: 'string', short: 'u', multiple: true },
    application: { type: 'string', short: 'a', multiple: true },
    format: { type: 'string' },
    wait: { type: 'string' },
    utc: { type: 'boolean' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  },
  unsupportedFlags: {
    machine: { type: 'string' },
    all: { type: 'boolean' },
    background: { type: 'boolean' },
    operator: { type: 'boolean' },
    parallel: { type: 'boolean' },
    'execution-group': { type: 'string' },
  },
  run: async (context) => {
    const { args } = context;
    const command = args.positionals.join(' ');
    if (!command.trim()) throw usageError('no commands specified');
    const units = flags(args, 'unit')
      .flatMap((u) => u.split(','))
      .filter(Boolean);
    const apps = flags(args, 'application')
      .flatMap((a) => a.split(','))
      .filter(Boolean);
    if (!units.length && !apps.length) {
      throw usageError('You must specify a target, either through --unit or --application');
    }
    const format = outputFormat(args, ['plain', 'json', 'yaml'], 'plain');
    const waitMs = durationFlag(args, 'wait', 300_000);
    const records = await context.withModel(
      async (sim) => {
        const targets = [
          ...units.map((u) => resolveLeader(sim.state, u)),
          ...apps.flatMap((a) => {
            const app = sim.state.apps[a];
            if (!app) throw new JujuError(`application "${a}" not found`);
            return app.units;
          }),
        ];
        const done: ActionRecord[] = [];
        for (const unit of targets) done.push(await sim.exec(unit, command, { timeoutMs: waitMs }));
        return done;
      },
      { hookTimeoutMs: Math.max(waitMs, 300_000) },
    );
    const late = timedOut(records);
    if (late) throw late;
    if (format === 'plain' && records.length === 1) {
      const record = records[0] as ActionRecord;
      context.out(record.stdout ?? '');
      if (record.stderr) context.err(record.stderr);
      if (processFailed(record)) {
        context.err(`ERROR ${failedTasksMessage([record])}`);
        return 1;
      }
      return 0;
    }
    return report(context, records, format);
  },
};

/**
 * ssh's command line: its flags come before the target, everything after the target is the
 * remote command (as OpenSSH's).
 */
export function splitSsh(argv: readonly string[]): [readonly string[], readonly string[]] {
  const takesValue = new Set(['--container', '--model', '-m']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return [argv.slice(0, i + 2), argv.slice(i + 2)];
    if (takesValue.has(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) return [argv.slice(0, i + 1), argv.slice(i + 1)];
  }
  return [argv, []];
}

const ssh: JujuCommand = {
  name: 'ssh',
  usage: '[--container <name>] <unit> <command> [<args>...]',
  summary: "run a command in a unit's charm container, or a workload container (--container)",
  flags: {
    container: { type: 'string' },
    'no-host-key-checks': { type: 'boolean' },
  },
  unsupportedFlags: { proxy: { type: 'boolean' } },
  split: splitSsh,
  run: async (context, command) => {
    const { args } = context;
    const [target] = args.positionals;
    if (target === undefined) throw usageError('no target name specified');
    const unitRef = target.includes('@') ? target.slice(target.indexOf('@') + 1) : target;
    if (!UNIT_OR_LEADER.test(unitRef)) {
      throw unsupported(
        `ssh to "${target}"`,
        'a Kubernetes model has no machines: give a unit, e.g. app/0',
      );
    }
    if (!command.length) {
      throw unsupported('an interactive ssh session', 'give the command to run');
    }
    const container = flag(args, 'container');
    const result = await context.withModel(async (sim) => {
      const unit = resolveLeader(sim.state, unitRef);
      return sim.runInContainer(unit, command.join(' '), {
        ...(container ? { container } : {}),
        timeoutMs: 3_600_000,
      });
    });
    context.out(result.stdout);
    context.err(result.stderr);
    return result.code ?? 1;
  },
};

const showTask: JujuCommand = {
  name: 'show-task',
  usage: '<task ID>',
  summary: "a finished task's results (an action, or juju exec)",
  flags: { format: { type: 'string' }, utc: { type: 'boolean' }, wait: { type: 'string' } },
  unsupportedFlags: { watch: { type: 'boolean' } },
  run: async (context) => {
    const { args } = context;
    const id = args.positionals[0];
    if (id === undefined) throw usageError('no task ID specified');
    const format = outputFormat(args, ['plain', 'json', 'yaml'], 'plain');
    const { state } = context.readModel();
    const record = state.actions.find((a) => String(a.id) === id);
    if (!record) throw new JujuError(`task ${id} not found`);
    if (format === 'plain') context.out(plainTask(record));
    else context.out(formatted(taskResult(record), format));
    return 0;
  },
};

/** The commands that run tasks. */
export const TASK_COMMANDS: readonly JujuCommand[] = [run, exec, ssh, showTask];
