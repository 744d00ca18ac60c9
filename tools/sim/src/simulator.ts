/**
 * The `Simulator`: a local Juju model whose units are pods of sandboxes with real Pebble
 * daemons. The CLI is a thin layer over this class; tests drive it directly.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateActionParams } from './action-params.ts';
import { type Binaries, findBinaries } from './binaries.ts';
import { type CharmInfo, unpackCharm } from './charm.ts';
import { effectiveConfig, parseConfigArgs } from './config.ts';
import { SimError } from './errors.ts';
import {
  endpointOf,
  enqueue,
  otherApp,
  queueCreated,
  queueDeparted,
  queueJoined,
  queueLeave,
  queueSetup,
  relationsOf,
  remoteUnits,
} from './events.ts';
import { agentDir, type Dispatch, hookEnv } from './hook-env.ts';
import { serveAgentSocket } from './hook-server.ts';
import {
  type ActionRecord,
  type AppState,
  type ModelState,
  type QueuedHook,
  type RelationState,
  status,
  type UnitState,
} from './model.ts';
import { ensureBridge, removeBridge } from './network.ts';
import { bootId, listNotices, pebbleGet } from './pebble-http.ts';
import {
  charmContainerArgv,
  type SharedDirs,
  startContainer,
  startPod,
  stopContainer,
  stopPod,
  UnitPaths,
} from './pod.ts';
import { runProcess } from './runner.ts';
import { loadModel, lockStateDir, saveModel } from './store.ts';
import { makeDraft, type RunningAction, type ToolContext } from './tools/context.ts';
import { runTool, TOOLS } from './tools/index.ts';

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

/** A problem a command ran into without failing: a hook that failed. */
export interface HookProblem {
  readonly unit: string;
  readonly hook: string;
  readonly message: string;
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
    const staging = join(this.stateDir, 'charms', `.staging-${randomUUID()}`);
    let charm: CharmInfo;
    try {
      charm = unpackCharm(resolve(charmFile), staging);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    const name = options.app ?? charm.name;
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/.test(name)) {
      rmSync(staging, { recursive: true, force: true });
      throw new SimError(
        'BAD_ARGUMENT',
        `invalid application name "${name}": use lowercase letters, digits and hyphens`,
      );
    }
    if (this.model.apps[name]) {
      rmSync(staging, { recursive: true, force: true });
      throw new SimError(
        'APP_EXISTS',
        `application ${name} already exists: pick another name with charm-sim deploy FILE NAME, or charm-sim remove-application ${name}`,
      );
    }
    const config = parseConfigArgs(name, charm.config, options.config ?? []);
    for (const res of Object.keys(options.resources ?? {})) {
      if (!charm.resources[res]) {
        rmSync(staging, { recursive: true, force: true });
        throw new SimError(
          'UNKNOWN_KEY',
          `charm ${charm.name} has no resource "${res}": known resources: ${Object.keys(charm.resources).join(', ') || '(none)'}`,
        );
      }
    }
    const charmDir = join(this.stateDir, 'charms', `${name}-1`);
    rmSync(charmDir, { recursive: true, force: true });
    cpSync(staging, charmDir, { recursive: true, verbatimSymlinks: true });
    rmSync(staging, { recursive: true, force: true });
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
    for (const [endpoint, spec] of Object.entries(charm.endpoints)) {
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
    ensureBridge(bins.ip, this.model.bridge, this.model.subnet);
    this.save();
    for (let i = 0; i < (options.units ?? 1); i++) await this.addUnit(app);
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
    const [left, right] = this.matchEndpoints(a, b);
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
    const [left, right] = this.matchEndpoints(a, b);
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
    this.breakRelation(rel);
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
    const result = await this.execute(unit, { kind: 'action', id, name }, action);
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
    if (!Number.isInteger(count) || count < 0)
      throw new SimError('BAD_ARGUMENT', `scale must be a whole number ≥ 0, got ${count}`);
    const live = app.units.filter((u) => !this.model.units[u]?.dying);
    for (let i = live.length; i < count; i++) await this.addUnit(app);
    for (const unit of live.slice(count).reverse()) this.queueRemoveUnit(unit);
    await this.settle();
  }

  /**
   * Removes one unit: departed on its peers and remote units, then on the unit stop →
   * departed/broken → remove; a new leader is elected if it led.
   * @throws SimError `UNKNOWN_UNIT`.
   */
  async removeUnit(unitName: string): Promise<void> {
    this.unit(unitName);
    this.queueRemoveUnit(unitName);
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
      if (rel.endpoints.length > 1) this.breakRelation(rel);
    }
    for (const unit of [...app.units]) this.queueRemoveUnit(unit);
    await this.settle();
    if (app.units.length === 0) this.forgetApp(appName);
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
    const charm = unpackCharm(resolve(charmFile), dir);
    app.charm = { ...charm, config: charm.config };
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
   * Retries the hook a unit failed, then carries on with its queue.
   * @throws SimError `UNKNOWN_UNIT`, `NOT_IN_ERROR`.
   */
  async resolve(unitName: string): Promise<void> {
    const unit = this.unit(unitName);
    if (!unit.failedHook)
      throw new SimError('NOT_IN_ERROR', `unit ${unitName} is not in error: nothing to resolve`);
    unit.queue.unshift(unit.failedHook);
    delete unit.failedHook;
    delete unit.errorMessage;
    unit.workloadStatus = unit.statusBeforeError ?? status('unknown');
    delete unit.statusBeforeError;
    unit.agentStatus = status('idle');
    await this.settle();
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

  /** The unit's debug log (all units when `unit` is undefined), optionally the last `lines`. */
  debugLog(options: { include?: string; lines?: number } = {}): string {
    const file = join(this.stateDir, 'debug.log');
    if (!existsSync(file)) return '';
    let lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    if (options.include) {
      const tag = options.include.includes('/')
        ? `unit-${options.include.replace('/', '-')}:`
        : `unit-${options.include}-`;
      lines = lines.filter((l) => l.startsWith(tag));
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
      if (ipBin) await stopPod(this.bins(), this.model.bridge, unit);
      else await Promise.all(Object.values(unit.containers).map((c) => stopContainer(c)));
    }
    if (ipBin) removeBridge(ipBin, this.model.bridge);
    this.model.units = {};
    this.model.apps = {};
    this.release();
    rmSync(this.stateDir, { recursive: true, force: true });
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

  private matchEndpoints(a: string, b: string) {
    const parse = (spec: string) => {
      const [appName, endpoint] = spec.split(':') as [string, string | undefined];
      const app = this.app(appName);
      const candidates = Object.entries(app.charm.endpoints).filter(
        ([name, e]) => e.role !== 'peers' && (endpoint === undefined || name === endpoint),
      );
      if (endpoint !== undefined && candidates.length === 0) {
        const known = Object.keys(app.charm.endpoints).join(', ') || '(none)';
        throw new SimError(
          'UNKNOWN_ENDPOINT',
          `application "${appName}" has no endpoint "${endpoint}": known endpoints: ${known}`,
        );
      }
      return candidates.map(([name, e]) => ({
        app: appName,
        endpoint: name,
        role: e.role,
        interface: e.interface,
      }));
    };
    const lefts = parse(a);
    const rights = parse(b);
    for (const l of lefts) {
      for (const r of rights) {
        const roles = new Set([l.role, r.role]);
        if (l.interface === r.interface && roles.has('provides') && roles.has('requires'))
          return [l, r] as const;
      }
    }
    throw new SimError(
      'UNKNOWN_ENDPOINT',
      `no matching endpoints between ${a} and ${b}: a provides and a requires endpoint with one interface are needed`,
    );
  }

  // ---- units and pods -------------------------------------------------------------------

  private bins(): Binaries {
    this.binaries ??= findBinaries();
    return this.binaries;
  }

  private async addUnit(app: AppState): Promise<string> {
    const bins = this.bins();
    const name = `${app.name}/${app.nextUnit++}`;
    const podIndex = this.model.nextPodIndex++;
    if (podIndex > 250)
      throw new SimError('POD_FAILED', 'the simulator has room for 250 pods per state directory');
    const unit: UnitState = {
      name,
      app: app.name,
      workloadStatus: status('waiting', 'installing agent'),
      agentStatus: status('allocating'),
      queue: [],
      state: {},
      ports: [],
      address: `${this.model.subnet}.${podIndex + 2}`,
      netns: `${this.model.bridge}-${podIndex}`,
      podIndex,
      containers: {},
      installed: false,
      started: false,
    };
    this.model.units[name] = unit;
    app.units.push(name);
    app.leader ??= name;
    const paths = new UnitPaths(this.stateDir, name);
    mkdirSync(paths.agent, { recursive: true });
    cpSync(join(this.stateDir, 'charms', `${app.name}-${app.charmRevision}`), paths.charm, {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const [res, file] of Object.entries(app.resources)) {
      const spec = app.charm.resources[res];
      if (spec?.type !== 'file' || !existsSync(file)) continue;
      const dest = join(paths.agent, 'resources', res, spec.filename ?? basename(file));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(file, dest);
    }
    this.progress(`starting pod for ${name} (${unit.address})`);
    this.save();
    await startPod(bins, this.stateDir, this.model.bridge, this.model.subnet, app, unit);
    unit.agentStatus = status('idle');
    queueSetup(this.model, name);
    this.save();
    return name;
  }

  private queueRemoveUnit(unitName: string): void {
    const unit = this.unit(unitName);
    if (unit.dying) return;
    unit.dying = true;
    for (const rel of relationsOf(this.model, unit.app)) {
      for (const other of Object.keys(rel.members)) {
        if (other !== unitName && rel.members[other]?.includes(unitName)) {
          queueDeparted(this.model, rel, other, unitName, unitName);
        }
      }
    }
    enqueue(this.model, unitName, { hook: 'stop' });
    for (const rel of relationsOf(this.model, unit.app)) queueLeave(this.model, rel, unitName);
    for (const name of Object.keys(this.app(unit.app).charm.storage)) {
      enqueue(this.model, unitName, { hook: `${name}-storage-detaching`, storageId: `${name}/0` });
    }
    enqueue(this.model, unitName, { hook: 'remove' });
    enqueue(this.model, unitName, { hook: '@teardown' });
  }

  private breakRelation(rel: RelationState): void {
    rel.dying = true;
    for (const end of rel.endpoints) {
      for (const unit of this.model.apps[end.app]?.units ?? []) {
        if (!rel.created.includes(unit)) continue;
        queueLeave(this.model, rel, unit);
      }
    }
  }

  private forgetApp(name: string): void {
    const app = this.model.apps[name];
    if (!app || app.units.length > 0) return;
    for (const rel of Object.values(this.model.relations)) {
      if (rel.endpoints.every((e) => e.app === name)) delete this.model.relations[String(rel.id)];
    }
    delete this.model.apps[name];
  }

  // ---- the scheduler --------------------------------------------------------------------

  /** Runs queued hooks round-robin until every queue is empty, then looks at the Pebbles. */
  private async settle(): Promise<void> {
    for (;;) {
      let ran = false;
      for (const name of Object.keys(this.model.units)) {
        const unit = this.model.units[name];
        if (!unit || unit.failedHook || unit.queue.length === 0) continue;
        const hook = unit.queue.shift() as QueuedHook;
        this.save();
        await this.runQueued(unit, hook);
        ran = true;
      }
      this.collectRelations();
      if (ran) continue;
      if (!(await this.pollWorkloads())) break;
    }
    this.save();
  }

  private collectRelations(): void {
    for (const rel of Object.values(this.model.relations)) {
      if (!rel.dying) continue;
      const pending = Object.values(this.model.units).some(
        (u) => u.failedHook?.relationId === rel.id || u.queue.some((q) => q.relationId === rel.id),
      );
      if (!pending) {
        delete this.model.relations[String(rel.id)];
        for (const secret of Object.values(this.model.secrets)) {
          secret.grants = secret.grants.filter((g) => g.relationId !== rel.id);
        }
      }
    }
  }

  private async runQueued(unit: UnitState, hook: QueuedHook): Promise<void> {
    const app = this.app(unit.app);
    if (hook.hook === '@swap-charm') return this.swapCharm(app, unit);
    if (hook.hook === '@teardown') return this.teardown(app, unit);
    const rel =
      hook.relationId === undefined ? undefined : this.model.relations[String(hook.relationId)];
    if (hook.relationId !== undefined && !rel) return;
    if (rel && hook.hook.endsWith('-relation-created')) {
      if (!rel.created.includes(unit.name)) rel.created.push(unit.name);
    }
    if (rel && hook.hook.endsWith('-relation-joined') && hook.remoteUnit) {
      const members = rel.members[unit.name] ?? [];
      rel.members[unit.name] = members;
      if (!members.includes(hook.remoteUnit)) members.push(hook.remoteUnit);
    }
    if (rel && hook.hook.endsWith('-relation-departed') && hook.remoteUnit) {
      rel.members[unit.name] = (rel.members[unit.name] ?? []).filter((u) => u !== hook.remoteUnit);
    }
    this.progress(`running ${hook.hook} on ${unit.name}`);
    const result = await this.execute(unit, { kind: 'hook', hook });
    if (result.code === 0 && !result.timedOut) {
      if (hook.hook === 'install') unit.installed = true;
      if (hook.hook === 'start') {
        unit.started = true;
        if (
          unit.workloadStatus.status === 'waiting' &&
          unit.workloadStatus.message === 'installing agent'
        ) {
          unit.workloadStatus = status('unknown');
        }
      }
      if (rel && hook.hook.endsWith('-relation-broken')) {
        rel.created = rel.created.filter((u) => u !== unit.name);
        delete rel.members[unit.name];
      }
      return;
    }
    const why = result.timedOut
      ? `hook "${hook.hook}" timed out after ${this.hookTimeoutMs / 1000}s: fix the hook or raise --hook-timeout, then charm-sim resolve ${unit.name}`
      : `hook "${hook.hook}" failed (exit ${result.code ?? result.signal}): see charm-sim debug-log --include ${unit.name}, then charm-sim resolve ${unit.name}`;
    unit.failedHook = hook;
    unit.errorMessage = `hook failed: "${hook.hook}"`;
    unit.statusBeforeError = unit.workloadStatus;
    unit.workloadStatus = status('error', unit.errorMessage);
    unit.agentStatus = status('error', unit.errorMessage);
    this.log(unit.name, 'ERROR', `juju.worker.uniter.operation ${why}`);
    this.problems.push({ unit: unit.name, hook: hook.hook, message: why });
  }

  private async swapCharm(app: AppState, unit: UnitState): Promise<void> {
    const bins = this.bins();
    const paths = new UnitPaths(this.stateDir, unit.name);
    if (app.pendingCharmDir) {
      cpSync(app.pendingCharmDir, paths.charm, {
        recursive: true,
        force: true,
        verbatimSymlinks: true,
      });
    }
    for (const name of Object.keys(unit.containers)) {
      await stopContainer(unit.containers[name]);
      rmSync(paths.layer(name), { recursive: true, force: true });
    }
    unit.containers = {};
    for (const name of Object.keys(app.charm.containers)) {
      unit.containers[name] = await startContainer(bins, paths, app, unit, name);
    }
    this.progress(`${unit.name} now runs ${app.name} revision ${app.charmRevision}`);
  }

  private async teardown(app: AppState, unit: UnitState): Promise<void> {
    await stopPod(this.bins(), this.model.bridge, unit);
    rmSync(new UnitPaths(this.stateDir, unit.name).root, { recursive: true, force: true });
    delete this.model.units[unit.name];
    app.units = app.units.filter((u) => u !== unit.name);
    for (const rel of Object.values(this.model.relations)) {
      delete rel.unitData[unit.name];
      delete rel.members[unit.name];
      rel.created = rel.created.filter((u) => u !== unit.name);
    }
    if (app.leader === unit.name) {
      delete app.leader;
      const next = app.units.find((u) => !this.model.units[u]?.dying);
      if (next) {
        app.leader = next;
        enqueue(this.model, next, { hook: 'leader-elected' });
        for (const other of app.units) {
          if (other !== next) enqueue(this.model, other, { hook: 'leader-settings-changed' });
        }
      }
    }
    if (app.dying && app.units.length === 0) this.forgetApp(app.name);
  }

  /** Finds new Pebble boot ids and notices; queues their events. True when it queued any. */
  private async pollWorkloads(): Promise<boolean> {
    let queued = false;
    for (const unit of Object.values(this.model.units)) {
      if (!unit.installed || unit.dying || unit.failedHook) continue;
      const paths = new UnitPaths(this.stateDir, unit.name);
      for (const [name, container] of Object.entries(unit.containers)) {
        const socket = paths.pebbleSocket(name);
        const id = await bootId(socket);
        if (!id) continue;
        if (id !== container.bootId) {
          container.bootId = id;
          delete container.noticesAfter;
          enqueue(this.model, unit.name, { hook: `${name}-pebble-ready`, workload: name });
          queued = true;
        }
        let notices: Awaited<ReturnType<typeof listNotices>> = [];
        try {
          notices = await listNotices(socket, container.noticesAfter);
        } catch {
          continue;
        }
        for (const notice of notices) {
          container.noticesAfter = notice['last-repeated'];
          const event = await this.noticeEvent(socket, name, notice);
          if (event) {
            enqueue(this.model, unit.name, event);
            queued = true;
          }
        }
      }
    }
    return queued;
  }

  private async noticeEvent(
    socket: string,
    container: string,
    notice: Awaited<ReturnType<typeof listNotices>>[number],
  ): Promise<QueuedHook | undefined> {
    if (notice.type === 'custom') {
      return {
        hook: `${container}-pebble-custom-notice`,
        workload: container,
        noticeId: notice.id,
        noticeType: notice.type,
        noticeKey: notice.key,
      };
    }
    if (notice.type !== 'change-update') return undefined;
    let change: { kind?: string; status?: string };
    try {
      change = (await pebbleGet(socket, `/v1/changes/${notice.key}`)) as typeof change;
    } catch {
      return undefined;
    }
    const checkName = String(notice['last-data']?.['check-name'] ?? '');
    if (change.kind === 'perform-check' && change.status === 'Error') {
      return { hook: `${container}-pebble-check-failed`, workload: container, checkName };
    }
    if (change.kind === 'recover-check' && change.status === 'Done') {
      return { hook: `${container}-pebble-check-recovered`, workload: container, checkName };
    }
    return undefined;
  }

  // ---- running one hook or action ---------------------------------------------------------

  private async execute(unit: UnitState, dispatch: Dispatch, action?: RunningAction) {
    const bins = this.bins();
    const app = this.app(unit.app);
    const shared = this.sharedDirs(bins);
    const paths = new UnitPaths(this.stateDir, unit.name);
    const label = dispatch.kind === 'hook' ? dispatch.hook.hook : `action ${dispatch.name}`;
    const contextId = `${unit.name}-${label.replace(/\s/g, '-')}-${randomUUID().slice(0, 8)}`;
    const draft = makeDraft(this.model, unit);
    const hook = dispatch.kind === 'hook' ? dispatch.hook : undefined;
    const ctx: ToolContext = {
      model: this.model,
      unit,
      app,
      hook,
      action,
      draft,
      stdin: undefined,
      log: (level, message) => this.log(unit.name, level, `unit.${unit.name}.juju-log ${message}`),
      saveNow: () => this.save(),
      leaderSettingsChanged: () => {
        for (const other of app.units) {
          if (other !== unit.name) enqueue(this.model, other, { hook: 'leader-settings-changed' });
        }
      },
      agentDir: agentDir(unit.name),
      hostAgentDir: paths.agent,
    };
    const server = await serveAgentSocket(paths.socket, (request) => {
      if (request.contextId !== contextId) {
        return { code: 1, stdout: '', stderr: `ERROR bad request: wrong context ID\n` };
      }
      // The tool's name only: arguments may carry secret content.
      this.log(
        unit.name,
        'TRACE',
        `juju.worker.uniter.jujuc running hook tool "${request.command}"`,
      );
      return runTool({ ...ctx, stdin: request.stdin }, request.command, request.args);
    });
    unit.agentStatus = status('executing', `running ${label} hook`);
    this.save();
    const env = hookEnv(this.model, unit.name, dispatch, contextId);
    const argv = charmContainerArgv(bins, this.stateDir, shared, app, unit, env);
    let result: Awaited<ReturnType<typeof runProcess>>;
    try {
      result = await runProcess(argv, this.hookTimeoutMs, (stream, line) =>
        this.log(
          unit.name,
          stream === 'stdout' ? 'DEBUG' : 'WARNING',
          `unit.${unit.name}.${label} ${line}`,
        ),
      );
    } finally {
      await server.close();
    }
    unit.agentStatus = status('idle');
    if (result.code === 0 && !result.timedOut) {
      this.commit(unit, app, draft);
      this.log(
        unit.name,
        'INFO',
        `juju.worker.uniter.operation ran "${label}" hook (via hook dispatching script: dispatch)`,
      );
    }
    this.save();
    return result;
  }

  /** Applies a successful hook's draft and queues what its changes cause. */
  private commit(unit: UnitState, app: AppState, draft: ReturnType<typeof makeDraft>): void {
    const leader = app.leader === unit.name;
    for (const [id, changed] of Object.entries(draft.relations)) {
      const live = this.model.relations[id];
      if (!live) continue;
      const ownUnit = changed.unitData[unit.name] ?? {};
      if (JSON.stringify(ownUnit) !== JSON.stringify(live.unitData[unit.name] ?? {})) {
        live.unitData[unit.name] = ownUnit;
        for (const [other, members] of Object.entries(live.members)) {
          if (other === unit.name || !members.includes(unit.name)) continue;
          enqueue(this.model, other, {
            hook: `${endpointOf(live, other.split('/')[0] as string)}-relation-changed`,
            relationId: live.id,
            remoteUnit: unit.name,
            remoteApp: app.name,
          });
        }
      }
      const ownApp = changed.appData[app.name] ?? {};
      if (leader && JSON.stringify(ownApp) !== JSON.stringify(live.appData[app.name] ?? {})) {
        live.appData[app.name] = ownApp;
        for (const other of live.created) {
          const otherAppName = other.split('/')[0] as string;
          if (other === unit.name) continue;
          if (live.endpoints.length > 1 && otherAppName === app.name) continue;
          enqueue(this.model, other, {
            hook: `${endpointOf(live, otherAppName)}-relation-changed`,
            relationId: live.id,
            remoteApp: app.name,
          });
        }
      }
    }
    this.model.secrets = draft.secrets;
    unit.state = draft.state;
    unit.ports = draft.ports;
    this.queueSecretRemoves();
    for (const id of draft.newRevisions) {
      const secret = this.model.secrets[id];
      if (!secret) continue;
      const latest = Math.max(...secret.revisions.map((r) => r.revision));
      for (const [consumer, view] of Object.entries(secret.consumers)) {
        if (view.revision >= latest || !this.model.units[consumer]) continue;
        enqueue(this.model, consumer, {
          hook: 'secret-changed',
          secretId: secret.id,
          ...(view.label ? { secretLabel: view.label } : {}),
        });
      }
    }
    void otherApp;
  }

  /** Tells owners about old revisions no consumer tracks any more (secret-remove). */
  private queueSecretRemoves(): void {
    for (const secret of Object.values(this.model.secrets)) {
      const latest = Math.max(...secret.revisions.map((r) => r.revision));
      const tracked = new Set(Object.values(secret.consumers).map((c) => c.revision));
      const owner =
        secret.ownerKind === 'unit' ? secret.owner : this.model.apps[secret.owner]?.leader;
      if (!owner) continue;
      for (const { revision } of secret.revisions) {
        if (revision === latest || tracked.has(revision)) continue;
        if (secret.removeNotified?.includes(revision)) continue;
        secret.removeNotified = [...(secret.removeNotified ?? []), revision];
        enqueue(this.model, owner, {
          hook: 'secret-remove',
          secretId: secret.id,
          ...(secret.label ? { secretLabel: secret.label } : {}),
          secretRevision: revision,
        });
      }
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private sharedDirs(bins: Binaries): SharedDirs {
    const bin = join(this.stateDir, 'bin');
    const tools = join(this.stateDir, 'tools');
    const bundle = join(bin, 'hook-tool.js');
    if (!existsSync(bundle) || !existsSync(join(tools, 'juju-log'))) {
      mkdirSync(bin, { recursive: true });
      mkdirSync(tools, { recursive: true });
      copyFileSync(hookToolBundle(), bundle);
      rmSync(join(bin, 'pebble'), { force: true });
      symlinkSync(bins.pebble, join(bin, 'pebble'));
      for (const name of Object.keys(TOOLS)) {
        const shim = join(tools, name);
        writeFileSync(
          shim,
          `#!/bin/sh\nexec ${process.execPath} /charm/bin/hook-tool.js "$(basename "$0")" "$@"\n`,
        );
        chmodSync(shim, 0o755);
      }
    }
    return { bin, tools };
  }

  private log(unit: string, level: string, message: string): void {
    const time = new Date().toISOString().slice(11, 19);
    appendFileSync(
      join(this.stateDir, 'debug.log'),
      `unit-${unit.replace('/', '-')}: ${time} ${level.padEnd(LEVEL_WIDTH)} ${message}\n`,
    );
  }

  private save(): void {
    if (existsSync(this.stateDir)) saveModel(this.stateDir, this.model);
  }
}

/**
 * The bundled hook-tool client: beside the bundled CLI, or in dist/ when running from source.
 * @throws SimError `MISSING_BINARY` when it has not been built.
 */
export function hookToolBundle(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'hook-tool.js'), join(here, '..', 'dist', 'hook-tool.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new SimError(
    'MISSING_BINARY',
    'dist/hook-tool.js not built: run pnpm --filter @charm-ts/sim build',
  );
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
