/**
 * Running an action on a unit: its parameters checked against actions.yaml, the queued hooks
 * run first, then `dispatch` with the action's environment; the record keeps its results,
 * log and outcome.
 * @module
 */
import type { RunningAction } from '@charm-ts/juju-model';
import { validateActionParams } from './action-params.ts';
import { type CommandHost, findApp, findUnit } from './command-host.ts';
import { SimError } from './errors.ts';
import { runDispatch } from './hook-runner.ts';
import { type ActionRecord, now } from './model.ts';

/** An action's log that remembers when each line came (`action-log` only pushes). */
class TimedLog extends Array<string> {
  readonly times: string[] = [];
  override push(...lines: string[]): number {
    for (const _ of lines) this.times.push(now());
    return super.push(...lines);
  }
}

/**
 * Runs an action on a unit and returns its record (results, status, log, output); the action
 * is killed after `timeoutMs` (default the hook timeout).
 * @throws SimError `UNKNOWN_UNIT`, `UNKNOWN_ACTION`, `BAD_ACTION_PARAMS`.
 */
export async function runAction(
  host: CommandHost,
  unitName: string,
  name: string,
  params: Record<string, unknown> = {},
  timeoutMs = host.hookTimeoutMs,
): Promise<ActionRecord> {
  const { model } = host;
  const unit = findUnit(model, unitName);
  const app = findApp(model, unit.app);
  const spec = app.charm.actions[name];
  if (!spec) {
    const known = Object.keys(app.charm.actions).sort().join(', ') || '(none)';
    throw new SimError(
      'UNKNOWN_ACTION',
      `action "${name}" not defined on unit "${unitName}": known actions: ${known}`,
    );
  }
  const validated = validateActionParams(name, spec, params);
  const enqueued = now();
  await host.settle();
  const id = model.nextActionId++;
  const log = new TimedLog();
  const action: RunningAction = { name, params: validated, results: {}, log };
  host.progress(`running action ${name} on ${unitName}`);
  const started = now();
  const dispatch = { kind: 'action', id, name } as const;
  const result = await runDispatch({ ...host, hookTimeoutMs: timeoutMs }, unit, dispatch, action);
  const failed = action.failure !== undefined || result.code !== 0 || result.timedOut;
  const record: ActionRecord = {
    id,
    unit: unitName,
    name,
    status: failed ? 'failed' : 'completed',
    results: action.results,
    log: [...log],
    logTimes: [...log.times],
    returnCode: result.timedOut ? null : result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    enqueued,
    started,
    completed: now(),
    ...(failed
      ? {
          message:
            action.failure ??
            (result.timedOut
              ? `action timed out after ${timeoutMs / 1000}s`
              : `exit status ${result.code}`),
        }
      : {}),
  };
  model.actions.push(record);
  await host.settle();
  return record;
}
