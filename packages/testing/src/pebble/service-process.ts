/**
 * The processes of Pebble's services, one record per service: the state machine (initial,
 * starting, running, terminating, stopped, backoff, exited), launching a modelled process,
 * what happens when it exits (on-success/on-failure, backoff restarts), signals, and the test
 * hooks that kill, restart or seed one. services.ts builds Pebble's changes on top of it.
 * @module
 */
import type { Service, ServiceAction } from '@charm-ts/pebble';
import { APIError, parseGoDuration } from '@charm-ts/pebble';
import {
  builtinBehaviour,
  isFatal,
  type ProcessBehaviour,
  type ProcessModel,
} from './processes.ts';
import type { ServiceLogs } from './service-logs.ts';

/** Pebble's service states. */
export type ServiceState =
  | 'initial'
  | 'starting'
  | 'running'
  | 'terminating'
  | 'stopped'
  | 'backoff'
  | 'exited';

/** One service's process record. */
export interface ServiceData {
  state: ServiceState;
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

const signals = new Set(
  'SIGABRT SIGALRM SIGBUS SIGCHLD SIGCONT SIGFPE SIGHUP SIGILL SIGINT SIGIO SIGKILL SIGPIPE SIGPROF SIGPWR SIGQUIT SIGSEGV SIGSTKFLT SIGSTOP SIGSYS SIGTERM SIGTRAP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGUSR1 SIGUSR2 SIGVTALRM SIGWINCH SIGXCPU SIGXFSZ'.split(
    ' ',
  ),
);

/** The status `GET /v1/services` reports for a state. */
export function statusOf(state: ServiceState): string {
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

/** What Pebble does when the process exits with `exitCode`. */
export function exitAction(config: Service, exitCode: number): ServiceAction {
  const action = exitCode === 0 ? config['on-success'] : config['on-failure'];
  return action ?? 'restart';
}

/** The service processes of one in-memory Pebble. */
export class ServiceProcesses {
  readonly #services = new Map<string, ServiceData>();
  readonly #logs: ServiceLogs;
  readonly #now: () => Date;
  readonly #model: ProcessModel | undefined;

  constructor(deps: { logs: ServiceLogs; now: () => Date; model?: ProcessModel | undefined }) {
    this.#logs = deps.logs;
    this.#now = deps.now;
    this.#model = deps.model;
  }

  /** The record of `name`, if it ever had one. */
  get(name: string): ServiceData | undefined {
    return this.#services.get(name);
  }

  /** Every record, by service name. */
  entries(): IterableIterator<[string, ServiceData]> {
    return this.#services.entries();
  }

  /** A fresh record for `name` (its process never started). */
  create(name: string, config: Service): ServiceData {
    const data: ServiceData = {
      state: 'initial',
      config: structuredClone(config),
      backoffNum: 0,
      backoffMs: 0,
      starts: 0,
    };
    this.#services.set(name, data);
    return data;
  }

  /** Moves `data` to `state`; `currentSince` changes with the reported status. */
  transition(data: ServiceData, state: ServiceState): void {
    if (statusOf(data.state) !== statusOf(state)) data.currentSince = this.#now();
    data.state = state;
  }

  /** The last `count` lines the service printed. */
  lastOutput(name: string, count: number): string[] {
    return this.#logs.last(name, count);
  }

  /**
   * Starts the modelled process; returns its exit code when it exits at once. It stays
   * `starting` (okay delay) unless `settled`.
   */
  launch(name: string, data: ServiceData, settled: boolean): number | undefined {
    const command = data.config.command ?? '';
    const behaviour = this.#model?.(command, name) ?? builtinBehaviour(command);
    data.behaviour = behaviour;
    data.starts++;
    this.transition(data, 'starting');
    for (const line of behaviour.output ?? []) this.#logs.write(name, line, this.#now());
    if (behaviour.exitCode !== undefined) return behaviour.exitCode;
    if (settled) this.transition(data, 'running');
    return undefined;
  }

  /** The process ended on its own: apply on-success/on-failure as Pebble does. */
  exited(name: string, data: ServiceData, exitCode: number): void {
    // Exiting during the okay delay fails the start task first, as Pebble's `exited` does.
    data.pendingStart?.(false, exitCode);
    const action = exitAction(data.config, exitCode);
    if (action === 'restart') {
      this.backoff(name, data);
    } else if (action === 'ignore' && exitCode === 0) {
      this.transition(data, 'stopped');
    } else {
      this.transition(data, 'exited');
    }
  }

  /** Waits the backoff delay (doubling up to the limit), then starts the process again. */
  backoff(name: string, data: ServiceData): void {
    data.backoffNum++;
    const first = durationMs(data.config['backoff-delay']) ?? 500;
    const limit = durationMs(data.config['backoff-limit']) ?? 30_000;
    const factor = data.config['backoff-factor'] ?? 2;
    data.backoffMs = data.backoffMs === 0 ? first : Math.min(data.backoffMs * factor, limit);
    this.transition(data, 'backoff');
    clearTimeout(data.timer);
    data.timer = setTimeout(() => this.#backoffElapsed(name, data), data.backoffMs);
    data.timer.unref?.();
  }

  #backoffElapsed(name: string, data: ServiceData): void {
    if (data.state !== 'backoff') return;
    const exitCode = this.launch(name, data, true);
    if (exitCode !== undefined) this.exited(name, data, exitCode);
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
          this.exited(name, data, -1);
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
    this.exited(name, data, exitCode);
  }

  /** Test hook: restarts a service as its on-check-failure `restart` action would. */
  restartForCheck(name: string): void {
    const data = this.#services.get(name);
    if (!data || (data.state !== 'running' && data.state !== 'starting')) return;
    this.backoff(name, data);
  }

  /**
   * Test hook: puts a plan service (`config`, its plan entry) in `status` without a change, as
   * if it had got there before the test began. Throws Error for a service not in the plan.
   */
  seed(name: string, config: Service | undefined, status: string): void {
    if (!config)
      throw new Error(`cannot set the status of service "${name}": it is not in the plan`);
    const states: Record<string, ServiceState> = {
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

  /** Stops every timer (backoff restarts); the in-memory Pebble is done. */
  close(): void {
    for (const data of this.#services.values()) clearTimeout(data.timer);
  }
}
