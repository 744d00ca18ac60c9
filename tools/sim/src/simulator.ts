/**
 * The `Simulator`: a local Juju model whose units are pods of sandboxes with real Pebble
 * daemons. The CLI is a thin layer over this class; tests drive it directly.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { validateActionParams } from './action-params.ts';
import { type Binaries, findBinaries, which } from './binaries.ts';
import { type CharmInfo, unpackCharm } from './charm.ts';
import { effectiveConfig, parseConfigArgs } from './config.ts';
import { matchEndpoints } from './endpoints.ts';
import { SimError } from './errors.ts';
import { enqueue, queueCreated, queueJoined, relationsOf, remoteUnits } from './events.ts';
import { runDispatch } from './hook-runner.ts';
import {
  type ActionRecord,
  type AppState,
  type ModelState,
  type RelationState,
  status,
  type UnitState,
} from './model.ts';
import {
  bridgeExists,
  ensureBridge,
  freeSubnet,
  sweepNetwork,
  withNetworkLock,
} from './network.ts';
import { pausePoint } from './pause.ts';
import { stopContainer, stopPod, UnitPaths } from './pod.ts';
import { alive, killGroup, runsUnder } from './processes.ts';
import { type HookProblem, reviveAll, type SchedulerHost, settle } from './scheduler.ts';
import { bridgeName, loadModel, lockStateDir, saveModel } from './store.ts';
import type { RunningAction } from './tools/context.ts';
import {
  addUnit,
  breakRelation,
  checkPodRoom,
  forgetApp,
  provisionUnit,
  queueRemoveUnit,
} from './unit-lifecycle.ts';

/** Options for {@link Simulator.open}. */
export interface SimulatorOptions {
  /** Where the model lives; see `defaultStateDir()`. */
  readonly stateDir: string;
  /** Kill a hook after this long (default 300 s). */
  readonly hookTimeoutMs?: number;
  /** Progress lines ("running install on app/0"); default: none. */
  readonly progress?: (line: string) => void;
}

/** Options for {@link Simulator.deploy}. */
export interface DeployOptions {
  readonly app?: string;
  readonly config?: readonly string[];
  readonly resources?: Record<string, string>;
  readonly units?: number;
}

const LEVEL_WIDTH = 0;

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
      return new Simulator(options, loadModel(dir), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Saves and unlocks. Pods keep running: they belong to the model, not the process. */
  close(): void {
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

  // ---- commands -------------------------------------------------------------------------

  /**
   * Deploys a packed charm: unpack, create pods, run the setup hooks.
   * @throws SimError `BAD_CHARM`, `APP_EXISTS`, `UNKNOWN_KEY`, `BAD_CONFIG_VALUE`,
   * `MISSING_BINARY`, `POD_FAILED`.
   */
  async deploy(charmFile: string, options: DeployOptions = {}): Promise<void> {
    const bins = this.bins();
    const units = options.units ?? 1;
    if (!Number.isInteger(units) || units < 0) {
      throw new SimError(
        'BAD_ARGUMENT',
        `-n expects a whole number ≥ 0 of units, got ${String(options.units)}`,
      );
    }
    checkPodRoom(this.model, units);
    let name = '';
    let config: Record<string, unknown> = {};
    const charm = this.unpackStaged(charmFile, (unpacked) => {
      name = options.app ?? unpacked.name;
      if (!/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/.test(name)) {
        throw new SimError(
          'BAD_ARGUMENT',
          `invalid application name "${name}": use lowercase letters, digits and hyphens`,
        );
      }
      if (this.model.apps[name]) {
        throw new SimError(
          'APP_EXISTS',
          `application ${name} already exists: pick another name with charm-sim deploy FILE NAME, or charm-sim remove-application ${name}`,
        );
      }
      config = parseConfigArgs(name, unpacked.config, options.config ?? []);
      for (const res of Object.keys(options.resources ?? {})) {
        if (!unpacked.resources[res]) {
          const known = Object.keys(unpacked.resources).join(', ') || '(none)';
          throw new SimError(
            'UNKNOWN_KEY',
            `charm ${unpacked.name} has no resource "${res}": known resources: ${known}`,
          );
        }
      }
      return join(this.stateDir, 'charms', `${name}-1`);
    });
    pausePoint('unpacked');
    const app: AppState = {
      name,
      charmFile: resolve(charmFile),
      charmRevision: 1,
      charm,
      config,
      resources: { ...(options.resources ?? {}) },
      units: [],
      nextUnit: 0,
      version: '',
      leaderSettings: {},
    };
    this.model.apps[name] = app;
    for (const [endpoint, spec] of Object.entries(app.charm.endpoints)) {
      if (spec.role !== 'peers') continue;
      const id = this.model.nextRelationId++;
      this.model.relations[String(id)] = {
        id,
        interface: spec.interface,
        endpoints: [{ app: name, endpoint }],
        appData: { [name]: {} },
        unitData: {},
        members: {},
        created: [],
      };
    }
    withNetworkLock(() => {
      if (Object.keys(this.model.units).length === 0 && !bridgeExists(bins.ip, this.model.bridge)) {
        this.model.subnet = freeSubnet(bins.ip, this.model.subnet);
      }
      ensureBridge(bins.ip, this.model.bridge, this.model.subnet);
    });
    // The units and their setup hooks are in the state before any pod exists: a charm-sim
    // killed from here on leaves units the next command provisions and runs.
    const added: UnitState[] = [];
    for (let i = 0; i < units; i++) added.push(addUnit(this.model, app));
    this.save();
    pausePoint('app-saved');
    for (const unit of added) await provisionUnit(this.host(), app, unit);
    await this.settle();
  }

  /**
   * Sets config (`key=value`) and resets keys, then runs config-changed on every unit.
   * Returns the effective settings.
   * @throws SimError `UNKNOWN_APP`, `UNKNOWN_KEY`, `BAD_CONFIG_VALUE`.
   */
  async config(
    appName: string,
    set: readonly string[] = [],
    reset: readonly string[] = [],
  ): Promise<Record<string, unknown>> {
    const app = this.app(appName);
    const changes = parseConfigArgs(appName, app.charm.config, set);
    for (const key of reset) {
      if (!app.charm.config[key]) parseConfigArgs(appName, app.charm.config, [`${key}=`]);
    }
    const before = JSON.stringify(effectiveConfig(app.charm.config, app.config));
    Object.assign(app.config, changes);
    for (const key of reset) delete app.config[key];
    if (JSON.stringify(effectiveConfig(app.charm.config, app.config)) !== before) {
      for (const unit of app.units) enqueue(this.model, unit, { hook: 'config-changed' });
    }
    await this.settle();
    return effectiveConfig(app.charm.config, app.config);
  }

  /**
   * Relates two endpoints (`app:endpoint`, or `app` when only one endpoint fits).
   * @throws SimError `UNKNOWN_APP`, `UNKNOWN_ENDPOINT`, `RELATION_EXISTS`.
   */
  async integrate(a: string, b: string): Promise<number> {
    const [left, right] = matchEndpoints((name) => this.app(name), a, b);
    const exists = Object.values(this.model.relations).find(
      (rel) =>
        !rel.dying &&
        rel.endpoints.some((e) => e.app === left.app && e.endpoint === left.endpoint) &&
        rel.endpoints.some((e) => e.app === right.app && e.endpoint === right.endpoint),
    );
    if (exists) {
      throw new SimError(
        'RELATION_EXISTS',
        `relation ${left.app}:${left.endpoint} ${right.app}:${right.endpoint} already exists`,
      );
    }
    const id = this.model.nextRelationId++;
    const rel: RelationState = {
      id,
      interface: left.interface,
      endpoints: [
        { app: left.app, endpoint: left.endpoint },
        { app: right.app, endpoint: right.endpoint },
      ],
      appData: { [left.app]: {}, [right.app]: {} },
      unitData: {},
      members: {},
      created: [],
    };
    this.model.relations[String(id)] = rel;
    const units = [...this.app(left.app).units, ...this.app(right.app).units];
    for (const unit of units) queueCreated(this.model, rel, unit);
    for (const unit of this.app(left.app).units) {
      for (const remote of remoteUnits(this.model, rel, unit)) {
        queueJoined(this.model, rel, unit, remote);
        queueJoined(this.model, rel, remote, unit);
      }
    }
    await this.settle();
    return id;
  }

  /**
   * Removes the relation between two endpoints: departed on every unit, then broken.
   * @throws SimError `UNKNOWN_APP`, `UNKNOWN_ENDPOINT`, `UNKNOWN_RELATION`.
   */
  async removeRelation(a: string, b: string): Promise<void> {
    const [left, right] = matchEndpoints((name) => this.app(name), a, b);
    const rel = Object.values(this.model.relations).find(
      (r) =>
        !r.dying &&
        r.endpoints.length === 2 &&
        r.endpoints.some((e) => e.app === left.app && e.endpoint === left.endpoint) &&
        r.endpoints.some((e) => e.app === right.app && e.endpoint === right.endpoint),
    );
    if (!rel)
      throw new SimError(
        'UNKNOWN_RELATION',
        `no relation between ${a} and ${b}: see charm-sim status`,
      );
    breakRelation(this.model, rel);
    await this.settle();
  }

  /**
   * Runs an action on a unit and returns its record (results, status, log).
   * @throws SimError `UNKNOWN_UNIT`, `UNKNOWN_ACTION`, `BAD_ACTION_PARAMS`.
   */
  async runAction(
    unitName: string,
    name: string,
    params: Record<string, unknown> = {},
  ): Promise<ActionRecord> {
    const unit = this.unit(unitName);
    const app = this.app(unit.app);
    const spec = app.charm.actions[name];
    if (!spec) {
      const known = Object.keys(app.charm.actions).sort().join(', ') || '(none)';
      throw new SimError(
        'UNKNOWN_ACTION',
        `action "${name}" not defined on unit "${unitName}": known actions: ${known}`,
      );
    }
    const validated = validateActionParams(name, spec, params);
    await this.settle();
    const id = this.model.nextActionId++;
    const action: RunningAction = { id, name, params: validated, results: {}, log: [] };
    this.progress(`running action ${name} on ${unitName}`);
    const result = await runDispatch(this.host(), unit, { kind: 'action', id, name }, action);
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
                ? `action timed out after ${this.hookTimeoutMs / 1000}s`
                : `exit status ${result.code}`),
          }
        : {}),
    };
    this.model.actions.push(record);
    await this.settle();
    return record;
  }

  /**
   * Scales an application to `count` units (removing the newest first).
   * @throws SimError `UNKNOWN_APP`, `BAD_ARGUMENT`.
   */
  async scale(appName: string, count: number): Promise<void> {
    const app = this.app(appName);
    if (!Number.isInteger(count) || count < 0) {
      throw new SimError(
        'BAD_ARGUMENT',
        `scale expects a whole number ≥ 0 of units, got ${String(count)}`,
      );
    }
    const live = app.units.filter((u) => !this.model.units[u]?.dying);
    checkPodRoom(this.model, Math.max(0, count - live.length));
    const added: UnitState[] = [];
    for (let i = live.length; i < count; i++) added.push(addUnit(this.model, app));
    for (const unit of live.slice(count).reverse()) queueRemoveUnit(this.model, this.unit(unit));
    this.save();
    for (const unit of added) await provisionUnit(this.host(), app, unit);
    await this.settle();
  }

  /**
   * Removes one unit: departed on its peers and remote units, then on the unit stop →
   * departed/broken → remove; a new leader is elected if it led.
   * @throws SimError `UNKNOWN_UNIT`.
   */
  async removeUnit(unitName: string): Promise<void> {
    this.unit(unitName);
    queueRemoveUnit(this.model, this.unit(unitName));
    await this.settle();
  }

  /**
   * Removes an application: its relations, then all its units.
   * @throws SimError `UNKNOWN_APP`.
   */
  async removeApplication(appName: string): Promise<void> {
    const app = this.app(appName);
    app.dying = true;
    for (const rel of relationsOf(this.model, appName)) {
      if (rel.endpoints.length > 1) breakRelation(this.model, rel);
    }
    for (const unit of [...app.units]) queueRemoveUnit(this.model, this.unit(unit));
    await this.settle();
    if (app.units.length === 0) forgetApp(this.model, appName);
  }

  /**
   * Upgrades an application to a new charm: stop → (new charm, restarted workload containers)
   * → upgrade-charm → config-changed → leader-settings-changed (non-leaders) → start →
   * pebble-ready.
   * @throws SimError `UNKNOWN_APP`, `BAD_CHARM`.
   */
  async refresh(appName: string, charmFile: string): Promise<void> {
    const app = this.app(appName);
    const revision = app.charmRevision + 1;
    const dir = join(this.stateDir, 'charms', `${appName}-${revision}`);
    const charm = this.unpackStaged(charmFile, (unpacked) => {
      if (unpacked.name !== app.charm.name) {
        throw new SimError(
          'BAD_CHARM',
          `cannot refresh ${appName} (charm ${app.charm.name}) to charm ${unpacked.name}: refresh to a build of the same charm, or deploy it as a new application`,
        );
      }
      return dir;
    });
    app.charm = charm;
    app.charmFile = resolve(charmFile);
    app.charmRevision = revision;
    app.pendingCharmDir = dir;
    for (const unit of app.units) {
      enqueue(this.model, unit, { hook: 'stop' });
      enqueue(this.model, unit, { hook: '@swap-charm' });
      enqueue(this.model, unit, { hook: 'upgrade-charm' });
      enqueue(this.model, unit, { hook: 'config-changed' });
      if (app.leader !== unit) enqueue(this.model, unit, { hook: 'leader-settings-changed' });
      enqueue(this.model, unit, { hook: 'start' });
    }
    await this.settle();
  }

  /**
   * Retries the hook a unit failed, then carries on with its queue. A unit that is not in
   * error but stuck (its pod half made, hooks queued: an earlier charm-sim was killed) is
   * provisioned and its queue run.
   * @throws SimError `UNKNOWN_UNIT`, `NOT_IN_ERROR` (nothing failed and nothing is queued).
   */
  async resolve(unitName: string): Promise<void> {
    const unit = this.unit(unitName);
    if (!unit.failedHook) {
      const pending = unit.queue.length + (unit.running ? 1 : 0);
      if (unit.provisioned !== false && pending === 0) {
        throw new SimError(
          'NOT_IN_ERROR',
          `unit ${unitName} is not in error (workload ${unit.workloadStatus.status}, agent ${unit.agentStatus.status}, no hooks queued): nothing to resolve`,
        );
      }
      // Stuck, not failed: an earlier charm-sim stopped before its pod or its hooks were done.
      this.progress(
        `${unitName} is not in error: ${unit.provisioned === false ? 'making its pod, then ' : ''}running its ${pending} queued hooks`,
      );
      if (unit.provisioned === false && this.revived) {
        await provisionUnit(this.host(), this.app(unit.app), unit);
      }
      await this.settle();
      return;
    }
    unit.queue.unshift(unit.failedHook);
    delete unit.failedHook;
    delete unit.errorMessage;
    unit.workloadStatus = unit.statusBeforeError ?? status('unknown');
    delete unit.statusBeforeError;
    unit.agentStatus = status('idle');
    await this.settle();
  }

  /**
   * Shows or sets model config. Only `update-status-hook-interval` (a duration such as `5m`)
   * means anything here: it is the interval `watch` runs update-status at.
   * @throws SimError `UNKNOWN_KEY` for another key, `BAD_CONFIG_VALUE` for a bad duration.
   */
  modelConfig(set: readonly string[] = []): Record<string, string> {
    for (const pair of set) {
      const [key, value = ''] = pair.split('=', 2);
      if (key !== 'update-status-hook-interval') {
        throw new SimError(
          'UNKNOWN_KEY',
          `unknown model config key "${key}": charm-sim knows update-status-hook-interval`,
        );
      }
      const match = /^(\d+)(s|m|h)$/.exec(value);
      if (!match) {
        throw new SimError(
          'BAD_CONFIG_VALUE',
          `update-status-hook-interval expects a duration such as 30s or 5m, got "${value}"`,
        );
      }
      this.model.updateStatusIntervalSeconds =
        Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
    }
    this.save();
    return { 'update-status-hook-interval': `${this.model.updateStatusIntervalSeconds}s` };
  }

  /**
   * Runs update-status on one unit, one application's units, or every unit.
   * @throws SimError `UNKNOWN_APP`, `UNKNOWN_UNIT`.
   */
  async updateStatus(target?: string): Promise<void> {
    for (const unit of this.targetUnits(target))
      enqueue(this.model, unit, { hook: 'update-status' });
    await this.settle();
  }

  /**
   * Watches the model for `durationMs`: turns Pebble notices into events every `pollMs`, and
   * runs update-status every `updateStatusMs` (default: the model's interval).
   */
  async watch(options: {
    durationMs: number;
    pollMs?: number;
    updateStatusMs?: number;
    signal?: AbortSignal;
  }): Promise<void> {
    const end = Date.now() + options.durationMs;
    const interval = options.updateStatusMs ?? this.model.updateStatusIntervalSeconds * 1000;
    let nextUpdate = Date.now() + interval;
    const due = () => {
      if (Date.now() < nextUpdate) return;
      for (const unit of this.targetUnits()) enqueue(this.model, unit, { hook: 'update-status' });
      nextUpdate = Date.now() + interval;
    };
    for (;;) {
      due();
      await this.settle();
      const left = end - Date.now();
      if (left <= 0 || options.signal?.aborted) break;
      const wait = Math.min(options.pollMs ?? 1000, left, Math.max(0, nextUpdate - Date.now()));
      await new Promise((r) => setTimeout(r, wait));
    }
    // A settle that outlasts the window still owes the update-status that fell due in it.
    due();
    await this.settle();
  }

  /** Looks for new Pebble boot ids and notices now, and runs the events they cause. */
  async poll(): Promise<void> {
    await this.settle();
  }

  /**
   * The debug log: every unit's, or one app's or unit's (`include`), from `level` up, the last
   * `lines` of it.
   * @throws SimError `BAD_ARGUMENT` for an unknown level.
   */
  debugLog(options: { include?: string; lines?: number; level?: string } = {}): string {
    const file = join(this.stateDir, 'debug.log');
    if (!existsSync(file)) return '';
    let lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    if (options.include) {
      const unit = options.include.includes('/')
        ? options.include.replace('/', '-')
        : `${options.include}-\\d+`;
      const tag = new RegExp(`^unit-${unit}: `);
      lines = lines.filter((l) => tag.test(l));
    }
    if (options.level) {
      const levels = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
      const min = levels.indexOf(options.level.toUpperCase());
      if (min < 0) {
        throw new SimError(
          'BAD_ARGUMENT',
          `unknown level "${options.level}": use ${levels.join(', ')}`,
        );
      }
      lines = lines.filter((l) => levels.indexOf(l.split(' ')[2] ?? '') >= min);
    }
    if (options.lines !== undefined) lines = lines.slice(-options.lines);
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  /** Stops every pod, removes the network and deletes the state directory. No hooks run. */
  async destroy(): Promise<void> {
    let ipBin: string | undefined;
    try {
      ipBin = this.bins().ip;
    } catch {
      ipBin = undefined;
    }
    for (const unit of Object.values(this.model.units)) {
      const root = new UnitPaths(this.stateDir, unit.name).root;
      if (unit.hookPid !== undefined && runsUnder(unit.hookPid, root)) killGroup(unit.hookPid);
      if (ipBin) await stopPod(this.bins(), this.stateDir, this.model.bridge, unit);
      else await Promise.all(Object.values(unit.containers).map((c) => stopContainer(c, root)));
    }
    if (ipBin) sweepNetwork(ipBin, this.model.bridge);
    this.model.units = {};
    this.model.apps = {};
    this.release();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  /**
   * Destroys a model whose state cannot be loaded or whose commands were killed: kills every
   * process the state file names that is still one of its sandboxes, removes every network
   * namespace and link of its bridge (named after the directory, so found even without the
   * file), then deletes the directory.
   */
  static async forceDestroy(stateDir: string): Promise<void> {
    const dir = resolve(stateDir);
    const file = join(dir, 'state.json');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const pids = [...text.matchAll(/"(?:pid|hookPid)": ?(\d+)/g)]
      .map(([, pid]) => Number(pid))
      .filter((pid) => pid > 1 && runsUnder(pid, dir));
    for (const pid of pids) killGroup(pid);
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ip = which('ip');
    if (ip) {
      const bridges = new Set([bridgeName(dir)]);
      for (const [, name] of text.matchAll(/"bridge": ?"(csim[0-9a-f]+)"/g))
        bridges.add(name ?? '');
      for (const bridge of bridges) if (bridge) sweepNetwork(ip, bridge);
    }
    rmSync(dir, { recursive: true, force: true });
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
   * Unpacks `charmFile` into a staging directory and hands its metadata to `check`, which
   * returns where the charm goes (or throws); only then is it moved there. Nothing is left
   * behind when unpacking or `check` fails; staging directories a killed charm-sim left go.
   */
  private unpackStaged(charmFile: string, check: (charm: CharmInfo) => string): CharmInfo {
    const charms = join(this.stateDir, 'charms');
    mkdirSync(charms, { recursive: true });
    // The state-dir lock is ours: any staging directory here was left by a killed process.
    for (const name of readdirSync(charms)) {
      if (name.startsWith('.staging-'))
        rmSync(join(charms, name), { recursive: true, force: true });
    }
    const staging = join(charms, `.staging-${randomUUID()}`);
    try {
      const charm = unpackCharm(resolve(charmFile), staging);
      const dest = check(charm);
      rmSync(dest, { recursive: true, force: true });
      renameSync(staging, dest);
      return charm;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  // ---- lookups ----------------------------------------------------------------------------

  private app(name: string): AppState {
    const app = this.model.apps[name];
    if (!app) {
      const known = Object.keys(this.model.apps).sort().join(', ') || '(none deployed)';
      throw new SimError(
        'UNKNOWN_APP',
        `application "${name}" not found: known applications: ${known}`,
      );
    }
    return app;
  }

  private unit(name: string): UnitState {
    const unit = this.model.units[name];
    if (!unit) {
      const known = Object.keys(this.model.units).sort().join(', ') || '(none)';
      throw new SimError('UNKNOWN_UNIT', `unit "${name}" not found: known units: ${known}`);
    }
    return unit;
  }

  private targetUnits(target?: string): string[] {
    if (target === undefined) return Object.keys(this.model.units);
    if (target.includes('/')) return [this.unit(target).name];
    return [...this.app(target).units];
  }

  // ---- units and pods -------------------------------------------------------------------

  private bins(): Binaries {
    this.binaries ??= findBinaries();
    return this.binaries;
  }

  // ---- the scheduler --------------------------------------------------------------------

  private async settle(): Promise<void> {
    if (!this.revived && Object.keys(this.model.units).length > 0) {
      this.revived = true;
      await reviveAll(this.host());
    }
    await settle(this.host());
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private log(unit: string, level: string, message: string): void {
    const time = new Date().toISOString().slice(11, 19);
    // Hook output may carry what a charm prints, secrets included: owner only.
    appendFileSync(
      join(this.stateDir, 'debug.log'),
      `unit-${unit.replace('/', '-')}: ${time} ${level.padEnd(LEVEL_WIDTH)} ${message}\n`,
      { mode: 0o600 },
    );
  }

  private host(): SchedulerHost {
    return {
      problem: (problem) => this.problems.push(problem),
      progress: (line) => this.progress(line),
      stateDir: this.stateDir,
      model: this.model,
      hookTimeoutMs: this.hookTimeoutMs,
      bins: () => this.bins(),
      log: (unit, level, message) => this.log(unit, level, message),
      save: () => this.save(),
    };
  }

  private save(): void {
    if (existsSync(this.stateDir)) saveModel(this.stateDir, this.model);
  }
}

/** Parses an action parameter given on the command line (`key=value`, value as YAML). */
export function parseActionArgs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SimError('BAD_ARGUMENT', `expected key=value, got "${pair}"`);
    out[pair.slice(0, eq)] = parse(pair.slice(eq + 1));
  }
  return out;
}
