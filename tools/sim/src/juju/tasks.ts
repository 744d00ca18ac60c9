/**
 * Tasks as `juju run`, `juju exec` and `juju show-task` print them: Juju 3's result shape
 * (`{unit: {id, status, message, results: {…, return-code, stdout, stderr}, log, timing,
 * unit}}`, keys sorted as Go writes a map) and its message when a task's process failed.
 * @module
 */
import { stringify } from 'yaml';
import type { ActionRecord } from '../model.ts';
import { goTime } from './times.ts';

/** One task's result in Juju's shape (keys sorted, as Go's JSON writes a map). */
export function taskResult(record: ActionRecord): Record<string, unknown> {
  const results: Record<string, unknown> = { ...record.results };
  if (record.returnCode !== undefined && record.returnCode !== null) {
    results['return-code'] = record.returnCode;
  }
  if (record.stdout) results.stdout = record.stdout;
  if (record.stderr) results.stderr = record.stderr;
  const timing: Record<string, string> = {};
  for (const key of ['completed', 'enqueued', 'started'] as const) {
    const time = record[key];
    if (time) timing[key] = goTime(time);
  }
  return sortKeys({
    id: String(record.id),
    ...(record.log.length
      ? { log: record.log.map((line, i) => `${goTime(record.logTimes?.[i] ?? '')} ${line}`) }
      : {}),
    ...(record.message ? { message: record.message } : {}),
    ...(Object.keys(results).length ? { results } : {}),
    status: record.status,
    ...(Object.keys(timing).length ? { timing } : {}),
    unit: record.unit,
  }) as Record<string, unknown>;
}

/** Whether the task's process exited non-zero: `juju run`/`exec` then fail (see {@link failedTasksMessage}). */
export function processFailed(record: ActionRecord): boolean {
  return typeof record.returnCode === 'number' && record.returnCode > 0;
}

/** Juju's error when tasks' processes failed (exit 1; jubilant looks for `task failed`). */
export function failedTasksMessage(records: readonly ActionRecord[]): string {
  const plural = records.length > 1 ? 's' : '';
  const list = records
    .map((r) => ` - id "${r.id}" with return code ${r.returnCode}`)
    .sort()
    .join('\n');
  return `the following task${plural} failed:\n${list}\n\nuse 'juju show-task' to inspect the failure${plural}\n`;
}

/**
 * The plain output of one task (`juju run`'s default): its results as YAML without Juju's own
 * keys, then its stdout and stderr; a failed task starts with its message.
 */
export function plainTask(record: ActionRecord): string {
  const own = { ...record.results };
  const parts: string[] = [];
  if (record.status === 'failed') {
    parts.push(`Action id ${record.id} failed: ${record.message ?? ''}\n`);
  }
  if (Object.keys(own).length) parts.push(stringify(sortKeys(own)));
  if (record.stdout) parts.push(`${record.stdout.replace(/\n+$/, '')}\n`);
  if (record.stderr) parts.push(`${record.stderr.replace(/\n+$/, '')}\n`);
  return parts.join('');
}

/** `value` with every object's keys sorted (as Go's encoders write maps). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    out[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return out;
}
