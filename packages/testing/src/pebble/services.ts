/**
 * Pebble's service changes over the service processes (service-process.ts): the
 * start/stop/restart/autostart/replan changes with Pebble's lanes, summaries and task logs,
 * the okay delay of a start, and `GET /v1/services`.
 * @module
 */

import type { Change, Plan, Service, ServiceInfo, Task } from '@charm-ts/pebble';
import type { ChangeStore } from './changes.ts';
import { startOrder, stopOrder } from './lanes.ts';
import { metric } from './openmetrics.ts';
import type { ProcessModel } from './processes.ts';
import { planServiceAction, type ServiceActionName } from './service-actions.ts';
import type { ServiceLogs } from './service-logs.ts';
import { exitAction, type ServiceData, ServiceProcesses, statusOf } from './service-process.ts';

/** The state of one running service change. */
interface ChangeRun {
  aborted: boolean;
  /** Aborts the start task waiting out its okay delay. */
  abortStart?: (() => void) | undefined;
}

function sameConfig(a: Service, b: Service): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Services of one in-memory Pebble. */
export class ServiceManager {
  readonly #processes: ServiceProcesses;
  readonly #plan: () => Plan;
  readonly #changes: ChangeStore;
  readonly #okayDelayMs: number;

  constructor(deps: {
    plan: () => Plan;
    changes: ChangeStore;
    logs: ServiceLogs;
    now: () => Date;
    model?: ProcessModel | undefined;
    /** Pebble's okay delay (1 s); 0 settles every start at once. */
    okayDelayMs: number;
  }) {
    this.#okayDelayMs = deps.okayDelayMs;
    this.#plan = deps.plan;
    this.#changes = deps.changes;
    this.#processes = new ServiceProcesses(deps);
  }

  /** `GET /v1/services`: plan services, sorted by name; unknown names are ignored. */
  list(names: readonly string[] = []): ServiceInfo[] {
    const plan = this.#plan();
    return Object.keys(plan.services)
      .filter((name) => names.length === 0 || names.includes(name))
      .sort()
      .map((name) => {
        const data = this.#processes.get(name);
        const info: ServiceInfo = {
          name,
          startup: plan.services[name]?.startup === 'enabled' ? 'enabled' : 'disabled',
          current: data ? statusOf(data.state) : 'inactive',
        };
        if (data?.currentSince) info.currentSince = data.currentSince;
        return info;
      });
  }

  /** `POST /v1/services`: builds the change and runs it to completion. Throws APIError 400. */
  act(action: ServiceActionName | (string & {}), names: readonly string[]): Change {
    const planned = planServiceAction(action, names, this.#plan(), (plan) =>
      this.#replanLanes(plan),
    );
    const change = this.#changes.create(
      action,
      planned.summary,
      planned.tasks,
      planned.serviceNames,
    );
    if (planned.tasks.length > 0) this.#run(change, planned.stopLanes, planned.startLanes);
    return change;
  }

  #replanLanes(plan: Plan): [string[][], string[][]] {
    const restart = new Set<string>();
    for (const [name, data] of this.#processes.entries()) {
      const config = plan.services[name];
      if (config && sameConfig(config, data.config)) continue;
      if (config) data.config = structuredClone(config);
      restart.add(name);
    }
    const start = Object.keys(plan.services).filter(
      (name) => restart.has(name) || plan.services[name]?.startup === 'enabled',
    );
    return [stopOrder(plan.services, [...restart]), startOrder(plan.services, start)];
  }

  /**
   * Runs the tasks: lanes side by side, each task after the one before it in its lane (a
   * failure holds the rest of the lane), start lanes after every stop lane. With no okay
   * delay everything completes before this returns.
   */
  #run(change: Change, stopLanes: string[][], startLanes: string[][]): void {
    const run: ChangeRun = { aborted: false };
    this.#changes.onAbort(change.id, () => {
      run.aborted = true;
      run.abortStart?.();
    });
    const tasks = [...change.tasks];
    const take = (lanes: string[][]): Array<Array<[string, Task]>> =>
      lanes.map((lane) => lane.map((name) => [name, tasks.shift() as Task]));
    const stops = take(stopLanes);
    const starts = take(startLanes);
    this.#runLanes(change, run, stops, false, (stopFailed) =>
      this.#runLanes(change, run, starts, stopFailed, () => {}),
    );
  }

  #runLanes(
    change: Change,
    run: ChangeRun,
    lanes: Array<Array<[string, Task]>>,
    holdAll: boolean,
    done: (failed: boolean) => void,
  ): void {
    let pending = lanes.length;
    let anyFailed = false;
    if (pending === 0) {
      done(false);
      return;
    }
    for (const lane of lanes) {
      let i = 0;
      let failed = holdAll;
      const next = (): void => {
        while (i < lane.length) {
          const [name, task] = lane[i++] as [string, Task];
          if (failed || run.aborted) {
            this.#changes.finishTask(change, task, 'Hold');
            continue;
          }
          if (task.kind === 'stop') {
            failed = !this.#doStop(change, task, name);
            continue;
          }
          const result = this.#doStart(change, run, task, name, (ok) => {
            failed = !ok;
            next();
          });
          if (result === 'pending') return;
          failed = result === 'failed';
        }
        anyFailed ||= failed;
        if (--pending === 0) done(anyFailed);
      };
      next();
    }
  }

  #fail(change: Change, task: Task, message: string): false {
    this.#changes.log(task, 'ERROR', message);
    this.#changes.finishTask(change, task, 'Error');
    return false;
  }

  #startFailed(
    change: Change,
    task: Task,
    name: string,
    data: ServiceData,
    exitCode: number,
  ): void {
    const lines = this.#processes.lastOutput(name, 20);
    if (lines.length > 0) {
      const output = lines.map((l) => `    ${l}`).join('\n');
      this.#changes.log(task, 'INFO', `Most recent service output:\n${output}`);
    }
    const action = exitAction(data.config, exitCode);
    this.#fail(
      change,
      task,
      `service start attempt: exited quickly with code ${exitCode}, will ${action}`,
    );
  }

  /** Pebble's `doStart`; `'pending'` while the okay delay runs (then `done` is called). */
  #doStart(
    change: Change,
    run: ChangeRun,
    task: Task,
    name: string,
    done: (ok: boolean) => void,
  ): 'done' | 'failed' | 'pending' {
    const config = this.#plan().services[name];
    if (!config) {
      this.#fail(change, task, `cannot find service "${name}" in plan`);
      return 'failed';
    }
    let data = this.#processes.get(name);
    if (!data) {
      data = this.#processes.create(name, config);
    } else {
      data.config = structuredClone(config);
      if (data.state === 'initial' || data.state === 'starting' || data.state === 'running') {
        this.#changes.log(task, 'INFO', `Service "${name}" already started.`);
        this.#changes.finishTask(change, task, 'Done');
        return 'done';
      }
      if (data.state === 'terminating') {
        this.#fail(change, task, `cannot start service while ${data.state}`);
        return 'failed';
      }
      clearTimeout(data.timer);
      data.backoffNum = 0;
      data.backoffMs = 0;
      this.#processes.transition(data, 'initial');
    }
    const exitCode = this.#processes.launch(name, data, this.#okayDelayMs === 0);
    if (exitCode !== undefined) {
      this.#startFailed(change, task, name, data, exitCode);
      this.#processes.exited(name, data, exitCode);
      return 'failed';
    }
    if (this.#okayDelayMs === 0) {
      this.#changes.finishTask(change, task, 'Done');
      return 'done';
    }
    // Pebble holds the task until the process has stayed up for the okay delay.
    this.#changes.finishTask(change, task, 'Doing');
    const service = data;
    const settle = (ok: boolean, exit?: number, message?: string): void => {
      clearTimeout(service.timer);
      service.pendingStart = undefined;
      run.abortStart = undefined;
      if (ok) {
        this.#processes.transition(service, 'running');
        this.#changes.finishTask(change, task, 'Done');
      } else if (message !== undefined) {
        this.#fail(change, task, message);
      } else {
        this.#startFailed(change, task, name, service, exit ?? -1);
      }
      done(ok);
    };
    service.pendingStart = settle;
    run.abortStart = () => {
      this.#processes.transition(service, 'stopped');
      settle(false, undefined, 'start aborted, sent SIGKILL to process');
    };
    service.timer = setTimeout(() => settle(true), this.#okayDelayMs);
    return 'pending';
  }

  #doStop(change: Change, task: Task, name: string): boolean {
    const data = this.#processes.get(name);
    const info = (message: string): boolean => {
      this.#changes.log(task, 'INFO', message);
      this.#changes.finishTask(change, task, 'Done');
      return true;
    };
    if (!data) return info(`Service "${name}" has never been started.`);
    if (data.state === 'stopped') return info(`Service "${name}" already stopped.`);
    if (data.state === 'exited') {
      this.#processes.transition(data, 'stopped');
      return info(`Service "${name}" had already exited.`);
    }
    clearTimeout(data.timer);
    this.#processes.transition(data, 'stopped');
    data.pendingStart?.(
      false,
      undefined,
      `service start attempt: stopped before the ${this.#okayDelayMs / 1000}s okay delay`,
    );
    this.#changes.finishTask(change, task, 'Done');
    return true;
  }

  /** `POST /v1/signals`. Throws APIError 400 without services, 500 for a service not running. */
  sendSignal(signal: string, names: readonly string[]): void {
    this.#processes.sendSignal(signal, names);
  }

  /** Test hook: the running process of `name` dies with `exitCode` (default 137). */
  kill(name: string, exitCode?: number): void {
    this.#processes.kill(name, exitCode);
  }

  /** Test hook: restarts a service as its on-check-failure `restart` action would. */
  restartForCheck(name: string): void {
    this.#processes.restartForCheck(name);
  }

  /** Test hook: puts a plan service in `status` without a change. Throws Error when not in the plan. */
  seed(name: string, status: string): void {
    this.#processes.seed(name, this.#plan().services[name], status);
  }

  /** OpenMetrics blocks for every service that has a process record, as Pebble's `WriteMetrics`. */
  metrics(): string[] {
    const blocks: string[] = [];
    for (const service of this.list()) {
      const data = this.#processes.get(service.name);
      if (!data) continue;
      const label = `{service="${service.name}"}`;
      const active = service.current === 'active' ? 1 : 0;
      const help = 'Whether the service is currently active (1) or not (0)';
      blocks.push(metric('pebble_service_active', 'gauge', help, label, active));
      const starts = 'Number of times the service has started';
      blocks.push(metric('pebble_service_start_count', 'counter', starts, label, data.starts));
    }
    return blocks;
  }

  /** Stops every timer (backoff restarts); the in-memory Pebble is done. */
  close(): void {
    this.#processes.close();
  }
}
