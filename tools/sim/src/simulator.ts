/**
 * The `Simulator`: a local Juju model whose units are pods of sandboxes with real Pebble
 * daemons. The CLI is a thin layer over this class; tests drive it directly. This class holds
 * the open model (its lock, its state, the hook failures seen); each command is in a module of
 * its own: deploy.ts (deploy, refresh), app-config.ts, relate.ts, run-action.ts, unit-exec.ts
 * (a command in a unit), unit-commands.ts (scale, remove-unit, remove-application, resolve),
 * model-commands.ts (model-config, update-status, watch), debug-log.ts, teardown.ts (destroy).
 * @module
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configure } from './app-config.ts';
import { type Binaries, findBinaries } from './binaries.ts';
import type { CommandHost } from './command-host.ts';
import { appendDebugLog, type DebugLogOptions, readDebugLog } from './debug-log.ts';
import { type DeployOptions, deploy, refresh } from './deploy.ts';
import type { ActionRecord, ModelState } from './model.ts';
import { modelConfig, updateStatus, type WatchOptions, watch } from './model-commands.ts';
import { integrate, removeRelation } from './relate.ts';
import { runAction } from './run-action.ts';
import { type HookProblem, reviveAll, settle } from './scheduler.ts';
import { loadModel, lockStateDir, saveModel } from './store.ts';
import { destroyModel, forceDestroy, killHooks } from './teardown.ts';
import { removeApplication, removeUnit, resolve as resolveUnit, scale } from './unit-commands.ts';
import { type CommandResult, execInHookContext, runInContainer } from './unit-exec.ts';

export type { DeployOptions } from './deploy.ts';
export type { CommandResult } from './unit-exec.ts';

/** How long `destroy()` waits for the commands under way once their hooks are killed. */
const DESTROY_WAIT_MS = 30_000;

/** Options for {@link Simulator.open}. */
export interface SimulatorOptions {
  /** Where the model lives; see `defaultStateDir()`. */
  readonly stateDir: string;
  /** Kill a hook after this long (default 300 s). */
  readonly hookTimeoutMs?: number;
  /** Progress lines ("running install on app/0"); default: none. */
  readonly progress?: (line: string) => void;
  /** The name of a model this call creates (default `sim`); an existing model keeps its own. */
  readonly modelName?: string;
}

/** A local Juju model. Open it, run commands, close it. */
export class Simulator {
  readonly stateDir: string;
  private model: ModelState;
  private readonly release: () => void;
  private readonly hookTimeoutMs: number;
  private readonly progress: (line: string) => void;
  private binaries: Binaries | undefined;
  /** Hook failures seen since the last `takeProblems()`. */
  private problems: HookProblem[] = [];
  /** Set once this process has checked that every pod is still running. */
  private revived = false;
  /** Set by `close()` and `destroy()`: the lock is released. */
  private closed = false;
  /** Set when `destroy()` begins: no hook starts any more. */
  private destroying = false;
  /** Set once the state directory is gone: what is logged after that is dropped. */
  private removed = false;
  /** The commands under way; `destroy()` waits for them before it removes anything. */
  private readonly running = new Set<Promise<unknown>>();

  private constructor(options: SimulatorOptions, model: ModelState, release: () => void) {
    this.stateDir = resolve(options.stateDir);
    this.model = model;
    this.release = release;
    this.hookTimeoutMs = options.hookTimeoutMs ?? 300_000;
    this.progress = options.progress ?? (() => {});
  }

  /**
   * Opens (or creates) the model in `options.stateDir` and locks it.
   * @throws SimError `STATE_LOCKED` or `STATE_CORRUPT`.
   */
  static open(options: SimulatorOptions): Simulator {
    const dir = resolve(options.stateDir);
    const release = lockStateDir(dir);
    try {
      const fresh = !existsSync(join(dir, 'state.json'));
      const model = loadModel(dir);
      if (fresh && options.modelName) model.name = options.modelName;
      return new Simulator(options, model, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Destroys a model whose state cannot be loaded or whose commands were killed (see
   * teardown.ts): its processes, namespaces and links, then its directory.
   */
  static forceDestroy(stateDir: string): Promise<void> {
    return forceDestroy(stateDir);
  }

  /**
   * The model in `stateDir` as it is on disk, without locking it or running anything (what
   * `status` shows while another command works).
   * @throws SimError `STATE_CORRUPT` when state.json is not valid JSON.
   */
  static readState(stateDir: string): ModelState {
    return loadModel(resolve(stateDir));
  }

  /**
   * Saves and unlocks. Pods keep running: they belong to the model, not the process. Does
   * nothing once closed or destroyed.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.save();
    this.release();
  }

  /** A read-only view of the model. */
  get state(): Readonly<ModelState> {
    return this.model;
  }

  /** Hook failures since the last call. */
  takeProblems(): HookProblem[] {
    const out = this.problems;
    this.problems = [];
    return out;
  }

  // ---- commands (each documented where it is implemented) ---------------------------------

  /** Deploys a packed charm: see deploy.ts. */
  deploy(charmFile: string, options: DeployOptions = {}): Promise<void> {
    return this.track(deploy(this.host(), charmFile, options));
  }

  /** Upgrades an application to a new build of its charm: see deploy.ts. */
  refresh(appName: string, charmFile: string): Promise<void> {
    return this.track(refresh(this.host(), appName, charmFile));
  }

  /** Sets config (`key=value`) and resets keys; returns the effective settings: see app-config.ts. */
  config(
    appName: string,
    set: readonly string[] = [],
    reset: readonly string[] = [],
  ): Promise<Record<string, unknown>> {
    return this.track(configure(this.host(), appName, set, reset));
  }

  /** Relates two endpoints and returns the relation id: see relate.ts. */
  integrate(a: string, b: string): Promise<number> {
    return this.track(integrate(this.host(), a, b));
  }

  /** Removes the relation between two endpoints: see relate.ts. */
  removeRelation(a: string, b: string): Promise<void> {
    return this.track(removeRelation(this.host(), a, b));
  }

  /**
   * Runs an action on a unit and returns its record: see run-action.ts. `timeoutMs` (default
   * the hook timeout) bounds the action.
   */
  runAction(
    unitName: string,
    name: string,
    params: Record<string, unknown> = {},
    options: { readonly timeoutMs?: number } = {},
  ): Promise<ActionRecord> {
    return this.track(runAction(this.host(), unitName, name, params, options.timeoutMs));
  }

  /**
   * Runs a shell command line in a unit's charm container with its hook context (`juju exec`):
   * see unit-exec.ts. `timeoutMs` (default the hook timeout) bounds it.
   */
  exec(
    unitName: string,
    command: string,
    options: { readonly timeoutMs?: number } = {},
  ): Promise<ActionRecord> {
    return this.track(
      execInHookContext(this.host(), unitName, command, options.timeoutMs ?? this.hookTimeoutMs),
    );
  }

  /**
   * Runs a shell command line in one of a unit's containers, without a hook context (`juju
   * ssh`): a workload container through its Pebble, or the charm container (no `container`,
   * or `charm`). See unit-exec.ts.
   */
  runInContainer(
    unitName: string,
    command: string,
    options: { readonly container?: string; readonly timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    return this.track(
      runInContainer(this.host(), unitName, command, {
        container: options.container,
        timeoutMs: options.timeoutMs ?? this.hookTimeoutMs,
      }),
    );
  }

  /** Scales an application to `count` units: see unit-commands.ts. */
  scale(appName: string, count: number): Promise<void> {
    return this.track(scale(this.host(), appName, count));
  }

  /** Removes one unit: see unit-commands.ts. */
  removeUnit(unitName: string): Promise<void> {
    return this.track(removeUnit(this.host(), unitName));
  }

  /** Removes an application, its relations and its units: see unit-commands.ts. */
  removeApplication(appName: string): Promise<void> {
    return this.track(removeApplication(this.host(), appName));
  }

  /** Retries the hook a unit failed (or runs a stuck unit's queue): see unit-commands.ts. */
  resolve(unitName: string): Promise<void> {
    return this.track(resolveUnit(this.host(), unitName));
  }

  /** Shows or sets model config (the update-status interval): see model-commands.ts. */
  modelConfig(set: readonly string[] = []): Record<string, string> {
    return modelConfig(this.host(), set);
  }

  /** Runs update-status on one unit, one application's units, or every unit. */
  updateStatus(target?: string): Promise<void> {
    return this.track(updateStatus(this.host(), target));
  }

  /** Turns Pebble notices into events for a while: see model-commands.ts. */
  watch(options: WatchOptions): Promise<void> {
    return this.track(watch(this.host(), options));
  }

  /** Looks for new Pebble boot ids and notices now, and runs the events they cause. */
  poll(): Promise<void> {
    return this.track(this.settle());
  }

  /** The debug log, filtered: see debug-log.ts. */
  debugLog(options: DebugLogOptions = {}): string {
    return readDebugLog(this.stateDir, options);
  }

  /**
   * Stops every pod, removes the network and deletes the state directory. No hooks run: a hook
   * under way (a command a timed-out test left running, say) is killed, and that command, which
   * then fails with SimError `MODEL_DESTROYED`, is waited for (up to 30 s) before anything is
   * removed.
   */
  async destroy(): Promise<void> {
    this.closed = true;
    this.destroying = true;
    killHooks(this.host());
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise((resolve) => {
        timer = setTimeout(resolve, DESTROY_WAIT_MS);
      });
      await Promise.race([Promise.allSettled([...this.running]), deadline]);
      clearTimeout(timer);
    }
    try {
      await destroyModel(this.host(), this.release);
    } finally {
      this.removed = true;
    }
  }

  // ---- the open model, as the commands see it ---------------------------------------------

  /** Records `command` as under way until it settles (see `destroy`). */
  private track<T>(command: Promise<T>): Promise<T> {
    this.running.add(command);
    const done = () => this.running.delete(command);
    command.then(done, done);
    return command;
  }

  private bins(): Binaries {
    this.binaries ??= findBinaries();
    return this.binaries;
  }

  private async settle(): Promise<void> {
    if (!this.revived && Object.keys(this.model.units).length > 0) {
      this.revived = true;
      await reviveAll(this.host());
    }
    await settle(this.host());
  }

  private host(): CommandHost {
    const sim = this;
    return {
      problem: (problem) => this.problems.push(problem),
      progress: (line) => this.progress(line),
      stateDir: this.stateDir,
      model: this.model,
      hookTimeoutMs: this.hookTimeoutMs,
      bins: () => this.bins(),
      // A command that outlived destroy()'s wait may still log: its model is gone, so are they.
      log: (unit, level, message) => {
        if (!this.removed) appendDebugLog(this.stateDir, unit, level, message);
      },
      save: () => this.save(),
      settle: () => this.settle(),
      get revived() {
        return sim.revived;
      },
      get destroying() {
        return sim.destroying;
      },
    };
  }

  private save(): void {
    if (existsSync(this.stateDir)) saveModel(this.stateDir, this.model);
  }
}
