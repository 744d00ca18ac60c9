/**
 * Pebble's check manager: each running check is a `perform-check` change (Doing) that turns
 * into a `recover-check` change once `threshold` failures in a row are reached, and back on
 * the first success. Check outcomes come from the test author (`setCheckResult`), else from
 * the built-in command vocabulary for exec checks, else success.
 * @module
 */

import type {
  Change,
  Check,
  CheckInfo,
  CheckLevel,
  ListChecksOptions,
  Plan,
} from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';
import type { ChangeStore } from './changes.ts';
import { metric } from './openmetrics.ts';
import { durationMs } from './service-process.ts';

interface CheckData {
  name: string;
  level?: CheckLevel;
  startup: 'enabled' | 'disabled';
  successes: number;
  failures: number;
  threshold: number;
  changeId?: string;
  prevChangeId?: string;
  config: Check;
  successMetric: number;
  failureMetric: number;
  timer?: ReturnType<typeof setInterval>;
}

function checkType(config: Check): string {
  if (config.http) return 'HTTP';
  if (config.tcp) return 'TCP';
  if (config.exec) return 'exec';
  return '<unknown>';
}

/** Checks of one in-memory Pebble. */
export class CheckManager {
  readonly #checks = new Map<string, CheckData>();
  readonly #results = new Map<string, string | undefined>();
  readonly #changes: ChangeStore;
  readonly #plan: () => Plan;
  readonly #periodic: boolean;
  readonly #onFailure: (check: string) => void;
  readonly #runCommand: (command: string) => number;

  /** With `periodic`, checks also run on their `period` timers, as in Pebble. */
  constructor(deps: {
    changes: ChangeStore;
    plan: () => Plan;
    periodic: boolean;
    onFailure: (check: string) => void;
    /** Runs an exec check's command, returning its exit code. */
    runCommand: (command: string) => number;
  }) {
    this.#runCommand = deps.runCommand;
    this.#changes = deps.changes;
    this.#plan = deps.plan;
    this.#periodic = deps.periodic;
    this.#onFailure = deps.onFailure;
  }

  /** Sets what the check's next runs return: an error text, or undefined for success. */
  setResult(name: string, error: string | undefined): void {
    this.#results.set(name, error);
  }

  #outcome(data: CheckData): string | undefined {
    if (this.#results.has(data.name)) return this.#results.get(data.name);
    const command = data.config.exec?.command;
    if (command === undefined) return undefined;
    const code = this.#runCommand(command);
    return code === 0 ? undefined : `exit status ${code}`;
  }

  /** Pebble's `PlanChanged`: restart changed checks, start new enabled ones. */
  planChanged(plan: Plan): void {
    const fresh = new Set<string>();
    const existing = new Set<string>();
    for (const data of [...this.#checks.values()]) {
      if (data.changeId === undefined) continue;
      existing.add(data.name);
      const next = plan.checks[data.name];
      if (next) {
        if (JSON.stringify(next) === JSON.stringify(data.config)) continue;
        if (next.startup === 'disabled' && data.config.startup !== 'disabled') continue;
        fresh.add(data.name);
      }
      this.#stopChange(data);
      this.#checks.delete(data.name);
    }
    for (const [name, config] of Object.entries(plan.checks)) {
      if (existing.has(name) && !fresh.has(name)) continue;
      if (config.startup === 'disabled' && !fresh.has(name)) {
        if (!this.#checks.has(name)) this.#checks.set(name, this.#data(name, config));
        continue;
      }
      const data = this.#data(name, config);
      this.#checks.set(name, data);
      this.#perform(data);
    }
  }

  #data(name: string, config: Check): CheckData {
    const data: CheckData = {
      name,
      startup: config.startup === 'disabled' ? 'disabled' : 'enabled',
      successes: 0,
      failures: 0,
      threshold: config.threshold ?? 3,
      config: structuredClone(config),
      successMetric: 0,
      failureMetric: 0,
    };
    if (config.level !== undefined) data.level = config.level;
    return data;
  }

  #perform(data: CheckData, kind: 'perform-check' | 'recover-check' = 'perform-check'): void {
    const verb = kind === 'perform-check' ? 'Perform' : 'Recover';
    const summary = `${verb} ${checkType(data.config)} check "${data.name}"`;
    const change = this.#changes.create(kind, summary, [{ kind, summary }]);
    change.data = {};
    const task = change.tasks[0];
    if (task) this.#changes.finishTask(change, task, 'Doing');
    if (data.changeId !== undefined) data.prevChangeId = data.changeId;
    data.changeId = change.id;
    clearInterval(data.timer);
    if (this.#periodic) {
      const period = durationMs(data.config.period) ?? 10_000;
      data.timer = setInterval(() => this.run(data.name), period);
      data.timer.unref?.();
    }
  }

  #stopChange(data: CheckData): void {
    clearInterval(data.timer);
    if (data.changeId === undefined) return;
    const change = this.#changes.get(data.changeId);
    const task = change.tasks[0];
    if (task && !change.ready) this.#changes.finishTask(change, task, 'Done');
  }

  /** Runs the check once, as its period timer or a refresh would; returns the error, if any. */
  run(name: string): string | undefined {
    const data = this.#checks.get(name);
    if (!data) throw new APIError(404, `cannot find check with name "${name}"`);
    const error = this.#outcome(data);
    if (data.changeId === undefined) return error;
    if (error === undefined) data.successMetric++;
    else data.failureMetric++;
    const change = this.#changes.get(data.changeId);
    const task = change.tasks[0];
    if (!task) return error;
    if (change.kind === 'perform-check') {
      if (error !== undefined) {
        data.failures++;
        this.#changes.log(task, 'ERROR', error);
        if (data.failures >= data.threshold) {
          this.#changes.finishTask(change, task, 'Error');
          this.#onFailure(name);
          this.#perform(data, 'recover-check');
        }
      } else {
        data.successes++;
        if (data.failures > 0) {
          const n = data.failures;
          data.failures = 0;
          this.#changes.log(
            task,
            'INFO',
            `succeeded after ${n} ${n === 1 ? 'failure' : 'failures'}`,
          );
        }
      }
    } else if (error !== undefined) {
      data.failures++;
      this.#changes.log(task, 'ERROR', error);
    } else {
      data.successes = 1;
      data.failures = 0;
      this.#changes.finishTask(change, task, 'Done');
      this.#perform(data);
    }
    return error;
  }

  #info(data: CheckData): CheckInfo {
    let status = 'inactive';
    if (data.changeId !== undefined) status = data.failures >= data.threshold ? 'down' : 'up';
    const info: CheckInfo = {
      name: data.name,
      startup: data.startup,
      status,
      successes: data.successes,
      failures: data.failures,
      threshold: data.threshold,
    };
    if (data.level !== undefined) info.level = data.level;
    if (data.changeId !== undefined) info.changeId = data.changeId;
    if (data.prevChangeId !== undefined) info.prevChangeId = data.prevChangeId;
    return info;
  }

  /** `GET /v1/checks`, sorted by name. Throws APIError 400 for a bad level. */
  list(options: ListChecksOptions = {}): CheckInfo[] {
    if (options.level !== undefined && options.level !== 'alive' && options.level !== 'ready') {
      throw new APIError(400, 'level must be "alive" or "ready"');
    }
    return [...this.#checks.values()]
      .filter((d) => options.level === undefined || d.level === options.level)
      .filter((d) => !options.names || options.names.length === 0 || options.names.includes(d.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((d) => this.#info(d));
  }

  #missing(action: string, names: readonly string[]): void {
    if (names.length === 0) throw new APIError(400, `must specify checks for ${action} action`);
    const plan = this.#plan();
    const missing = names.filter((n) => !(n in plan.checks));
    if (missing.length > 0) {
      throw new APIError(
        400,
        `cannot ${action} checks: cannot find checks in plan: ${missing.join(', ')}`,
      );
    }
  }

  /** `POST /v1/checks` start: returns the names started, sorted. */
  start(names: readonly string[]): string[] {
    this.#missing('start', names);
    const started: string[] = [];
    for (const name of names) {
      const data = this.#checks.get(name);
      if (!data || data.changeId !== undefined) continue;
      data.successes = 0;
      data.failures = 0;
      delete data.prevChangeId;
      this.#perform(data);
      delete data.prevChangeId;
      started.push(name);
    }
    return started.sort();
  }

  /** `POST /v1/checks` stop: returns the names stopped, sorted. */
  stop(names: readonly string[]): string[] {
    this.#missing('stop', names);
    const stopped: string[] = [];
    for (const name of names) {
      const data = this.#checks.get(name);
      if (!data || data.changeId === undefined) continue;
      this.#stopChange(data);
      delete data.changeId;
      stopped.push(name);
    }
    return stopped.sort();
  }

  /** `POST /v1/checks/refresh`: runs the check now. Throws APIError 404 for an unknown check. */
  refresh(name: string): { info: CheckInfo; error?: string } {
    if (name === '') throw new APIError(400, 'must specify check name');
    if (!(name in this.#plan().checks) || !this.#checks.has(name)) {
      throw new APIError(404, `cannot find check with name "${name}"`);
    }
    const error = this.run(name);
    const info = this.#info(this.#checks.get(name) as CheckData);
    return error === undefined ? { info } : { info, error };
  }

  /** Whether every matching check is up (inactive checks are ignored). */
  healthy(level?: CheckLevel, names?: readonly string[]): boolean {
    if (level !== undefined && level !== 'alive' && level !== 'ready') {
      throw new APIError(400, 'level must be "alive" or "ready"');
    }
    return [...this.#checks.values()]
      .filter((d) => !names || names.length === 0 || names.includes(d.name))
      .filter(
        (d) =>
          level === undefined || level === d.level || (level === 'ready' && d.level === 'alive'),
      )
      .every((d) => this.#info(d).status !== 'down');
  }

  /** Pebble's check `Replan` (part of a service replan): starts enabled checks that are stopped. */
  replan(): void {
    for (const [name, config] of Object.entries(this.#plan().checks)) {
      const data = this.#checks.get(name);
      if (!data || config.startup === 'disabled' || data.changeId !== undefined) continue;
      data.successes = 0;
      data.failures = 0;
      delete data.prevChangeId;
      this.#perform(data);
    }
  }

  /** OpenMetrics blocks for every check, as Pebble's `WriteMetrics`. */
  metrics(): string[] {
    const blocks: string[] = [];
    for (const data of [...this.#checks.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const label = `{check="${data.name}"}`;
      if (data.changeId !== undefined) {
        const up = this.#info(data).status === 'up' ? 1 : 0;
        blocks.push(
          metric(
            'pebble_check_up',
            'gauge',
            'Whether the health check is up (1) or not (0)',
            label,
            up,
          ),
        );
      }
      blocks.push(
        metric(
          'pebble_check_success_count',
          'counter',
          'Number of times the check has succeeded',
          label,
          data.successMetric,
        ),
      );
      blocks.push(
        metric(
          'pebble_check_failure_count',
          'counter',
          'Number of times the check has failed',
          label,
          data.failureMetric,
        ),
      );
    }
    return blocks;
  }

  /** Stops every timer. */
  close(): void {
    for (const data of this.#checks.values()) clearInterval(data.timer);
  }

  /** The change of a check (for tests), if it is running. */
  changeOf(name: string): Change | undefined {
    const id = this.#checks.get(name)?.changeId;
    return id === undefined ? undefined : this.#changes.get(id);
  }
}
