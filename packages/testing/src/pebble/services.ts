/**
 * Pebble's service manager over modelled processes: the state machine (initial, running,
 * stopped, backoff, exited), the start/stop/restart/autostart/replan changes with Pebble's
 * lanes, summaries and task logs, exit actions, backoff restarts, and signals.
 * @module
 */

import type { Change, Plan, Service, ServiceAction, ServiceInfo, Task } from '@charm-ts/pebble';
import { APIError, parseGoDuration } from '@charm-ts/pebble';
import type { ChangeStore } from './changes.ts';
import { startOrder, stopOrder } from './lanes.ts';
import { metric } from './openmetrics.ts';
import {
  builtinBehaviour,
  isFatal,
  type ProcessBehaviour,
  type ProcessModel,
} from './processes.ts';
import { planServiceAction, type ServiceActionName } from './service-actions.ts';
import type { ServiceLogs } from './service-logs.ts';

type State = 'initial' | 'starting' | 'running' | 'terminating' | 'stopped' | 'backoff' | 'exited';

interface ServiceData {
  state: State;
  config: Service;
  currentSince?: Date;
  backoffNum: number;
  backoffMs: number;
  behaviour?: ProcessBehaviour;
  /** How many times the process was launched (`pebble_service_start_count`). */
  starts: number;
  /** Settles a start task still in its okay delay. */
  pendingStart?: ((ok: boolean, exitCode?: number, message?: string) => void) | undefined;
  timer?: ReturnType<typeof setTimeout>;
}

/** The state of one running service change. */
interface ChangeRun {
  aborted: boolean;
  /** Aborts the start task waiting out its okay delay. */
  abortStart?: (() => void) | undefined;
}

const signals = new Set(
  'SIGABRT SIGALRM SIGBUS SIGCHLD SIGCONT SIGFPE SIGHUP SIGILL SIGINT SIGIO SIGKILL SIGPIPE SIGPROF SIGPWR SIGQUIT SIGSEGV SIGSTKFLT SIGSTOP SIGSYS SIGTERM SIGTRAP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGUSR1 SIGUSR2 SIGVTALRM SIGWINCH SIGXCPU SIGXFSZ'.split(
    ' ',
  ),
);

function statusOf(state: State): string {
  switch (state) {
    case 'starting':
    case 'running':
    case 'terminating':
      return 'active';
    case 'backoff':
      return 'backoff';
    case 'exited':
      return 'error';
    default:
      return 'inactive';
  }
}

/** A Go duration in milliseconds; undefined when absent or unparsable. */
export function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

function exitAction(config: Service, exitCode: number): ServiceAction {
  const action = exitCode === 0 ? config['on-success'] : config['on-failure'];
  return action ?? 'restart';
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
  readonly #services = new Map<string, ServiceData>();
  readonly #plan: () => Plan;
  readonly #changes: ChangeStore;
  readonly #logs: ServiceLogs;
  readonly #now: () => Date;
  readonly #model: ProcessModel | undefined;
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
    this.#logs = deps.logs;
    this.#now = deps.now;
    this.#model = deps.model;
  }

  /** `GET /v1/services`: plan services, sorted by name; unknown names are ignored. */
  list(names: readonly string[] = []): ServiceInfo[] {
    const plan = this.#plan();
    return Object.keys(plan.services)
      .filter((name) => names.length === 0 || names.includes(name))
      .sort()
      .map((name) => {
        const data = this.#services.get(name);
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
    for (const [name, data] of this.#services) {
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

  #transition(data: ServiceData, state: State): void {
    if (statusOf(data.state) !== statusOf(state)) data.currentSince = this.#now();
    data.state = state;
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
    const lines = this.#logs.last(name, 20);
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
    let data = this.#services.get(name);
    if (!data) {
      data = {
        state: 'initial',
        config: structuredClone(config),
        backoffNum: 0,
        backoffMs: 0,
        starts: 0,
      };
      this.#services.set(name, data);
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
      this.#transition(data, 'initial');
    }
    const exitCode = this.#launch(name, data, this.#okayDelayMs === 0);
    if (exitCode !== undefined) {
      this.#startFailed(change, task, name, data, exitCode);
      this.#exited(name, data, exitCode);
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
        this.#transition(service, 'running');
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
      this.#transition(service, 'stopped');
      settle(false, undefined, 'start aborted, sent SIGKILL to process');
    };
    service.timer = setTimeout(() => settle(true), this.#okayDelayMs);
    return 'pending';
  }

  /**
   * Starts the modelled process; returns its exit code when it exits at once. It stays
   * `starting` (okay delay) unless `settled`.
   */
  #launch(name: string, data: ServiceData, settled: boolean): number | undefined {
    const command = data.config.command ?? '';
    const behaviour = this.#model?.(command, name) ?? builtinBehaviour(command);
    data.behaviour = behaviour;
    data.starts++;
    this.#transition(data, 'starting');
    for (const line of behaviour.output ?? []) this.#logs.write(name, line, this.#now());
    if (behaviour.exitCode !== undefined) return behaviour.exitCode;
    if (settled) this.#transition(data, 'running');
    return undefined;
  }

  /** The process ended on its own: apply on-success/on-failure as Pebble does. */
  #exited(name: string, data: ServiceData, exitCode: number): void {
    // Exiting during the okay delay fails the start task first, as Pebble's `exited` does.
    data.pendingStart?.(false, exitCode);
    const action = exitAction(data.config, exitCode);
    if (action === 'restart') {
      this.#backoff(name, data);
    } else if (action === 'ignore' && exitCode === 0) {
      this.#transition(data, 'stopped');
    } else {
      this.#transition(data, 'exited');
    }
  }

  /** Waits the backoff delay (doubling up to the limit), then starts the process again. */
  #backoff(name: string, data: ServiceData): void {
    data.backoffNum++;
    const first = durationMs(data.config['backoff-delay']) ?? 500;
    const limit = durationMs(data.config['backoff-limit']) ?? 30_000;
    const factor = data.config['backoff-factor'] ?? 2;
    data.backoffMs = data.backoffMs === 0 ? first : Math.min(data.backoffMs * factor, limit);
    this.#transition(data, 'backoff');
    clearTimeout(data.timer);
    data.timer = setTimeout(() => this.#backoffElapsed(name, data), data.backoffMs);
    data.timer.unref?.();
  }

  #backoffElapsed(name: string, data: ServiceData): void {
    if (data.state !== 'backoff') return;
    const exitCode = this.#launch(name, data, true);
    if (exitCode !== undefined) this.#exited(name, data, exitCode);
  }

  #doStop(change: Change, task: Task, name: string): boolean {
    const data = this.#services.get(name);
    const info = (message: string): boolean => {
      this.#changes.log(task, 'INFO', message);
      this.#changes.finishTask(change, task, 'Done');
      return true;
    };
    if (!data) return info(`Service "${name}" has never been started.`);
    if (data.state === 'stopped') return info(`Service "${name}" already stopped.`);
    if (data.state === 'exited') {
      this.#transition(data, 'stopped');
      return info(`Service "${name}" had already exited.`);
    }
    clearTimeout(data.timer);
    this.#transition(data, 'stopped');
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
    if (names.length === 0) throw new APIError(400, 'must specify one or more services');
    const errors: string[] = [];
    for (const name of names) {
      const data = this.#services.get(name);
      if (data?.state === 'starting' || data?.state === 'running') {
        if (!signals.has(signal)) {
          errors.push(`cannot send signal to "${name}": invalid signal name "${signal}"`);
        } else if (isFatal(data.behaviour ?? {}, signal)) {
          // Killed by a signal: Go reports exit code -1, then the on-failure action follows.
          this.#exited(name, data, -1);
        }
      } else {
        errors.push(`cannot send signal to "${name}": service is not running`);
      }
    }
    if (errors.length > 0) throw new APIError(500, errors.join('; '));
  }

  /**
   * Test hook: the running process of `name` dies with `exitCode` (default 137, killed), and
   * Pebble's on-failure/on-success action follows. Throws Error when it is not running.
   */
  kill(name: string, exitCode = 137): void {
    const data = this.#services.get(name);
    if (!data || (data.state !== 'running' && data.state !== 'starting')) {
      throw new Error(`cannot kill service "${name}": it is not running`);
    }
    this.#exited(name, data, exitCode);
  }

  /** Test hook: restarts a service as its on-check-failure `restart` action would. */
  restartForCheck(name: string): void {
    const data = this.#services.get(name);
    if (!data || (data.state !== 'running' && data.state !== 'starting')) return;
    this.#backoff(name, data);
  }

  /**
   * Test hook: puts a plan service in `status` without a change, as if it had got there
   * before the test began. Throws Error for a service not in the plan.
   */
  seed(name: string, status: string): void {
    const config = this.#plan().services[name];
    if (!config)
      throw new Error(`cannot set the status of service "${name}": it is not in the plan`);
    const states: Record<string, State> = {
      active: 'running',
      backoff: 'backoff',
      error: 'exited',
      inactive: 'stopped',
    };
    const state = states[status];
    if (!state)
      throw new Error(
        `cannot set service "${name}" to "${status}": use active, inactive, backoff or error`,
      );
    const command = config.command ?? '';
    this.#services.set(name, {
      state,
      config: structuredClone(config),
      backoffNum: 0,
      backoffMs: 0,
      starts: state === 'stopped' ? 0 : 1,
      currentSince: this.#now(),
      behaviour: this.#model?.(command, name) ?? builtinBehaviour(command),
    });
  }

  /** OpenMetrics blocks for every service that has a process record, as Pebble's `WriteMetrics`. */
  metrics(): string[] {
    const blocks: string[] = [];
    for (const service of this.list()) {
      const data = this.#services.get(service.name);
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
    for (const data of this.#services.values()) clearTimeout(data.timer);
  }
}
