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
import type { ActionRecord } from './model.ts';

/**
 * Runs an action on a unit and returns its record (results, status, log).
 * @throws SimError `UNKNOWN_UNIT`, `UNKNOWN_ACTION`, `BAD_ACTION_PARAMS`.
 */
export async function runAction(
  host: CommandHost,
  unitName: string,
  name: string,
  params: Record<string, unknown> = {},
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
  await host.settle();
  const id = model.nextActionId++;
  const action: RunningAction = { name, params: validated, results: {}, log: [] };
  host.progress(`running action ${name} on ${unitName}`);
  const result = await runDispatch(host, unit, { kind: 'action', id, name }, action);
  const failed = action.failure !== undefined || result.code !== 0 || result.timedOut;
  const record: ActionRecord = {
    id,
    unit: unitName,
    name,
    status: failed ? 'failed' : 'completed',
    results: action.results,
    log: action.log,
    ...(failed
      ? {
          message:
            action.failure ??
            (result.timedOut
              ? `action timed out after ${host.hookTimeoutMs / 1000}s`
              : `exit status ${result.code}`),
        }
      : {}),
  };
  model.actions.push(record);
  await host.settle();
  return record;
}
