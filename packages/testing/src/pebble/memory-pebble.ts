/**
 * `MemoryPebble`: the whole Pebble API in memory, agreeing with the real daemon (v1.32) on
 * what each call returns, changes and throws. Each API area lives in its own module; this
 * class wires them together and adds the hooks a test author needs (exec handlers, process
 * behaviour, killing a service, failing a check, cutting the connection).
 * @module
 */
import type { Readable } from 'node:stream';
import type {
  AddLayerOptions,
  Change,
  CheckInfo,
  ExecOptions,
  ExecProcess,
  FileInfo,
  HealthOptions,
  Identity,
  Layer,
  ListChangesOptions,
  ListChecksOptions,
  ListFilesOptions,
  ListNoticesOptions,
  ListServicesOptions,
  LogEntry,
  LogsOptions,
  MakeDirOptions,
  Notice,
  NotifyOptions,
  Pebble,
  Plan,
  PullOptions,
  PushOptions,
  PushSource,
  RefreshCheckResult,
  RemovePathOptions,
  RequestOptions,
  ServiceChangeOptions,
  ServiceInfo,
  SystemInfo,
  WaitChangeOptions,
} from '@charm-ts/pebble';
import { ChangeError, ConnectionError } from '@charm-ts/pebble';
import { checkChangeId } from '@charm-ts/pebble/internal';
import { ChangeStore } from './changes.ts';
import { CheckManager } from './checks.ts';
import type { ExecHandler } from './exec.ts';
import { type ExecRecord, ExecRunner } from './exec-runner.ts';
import { pulledStream, readPushSource } from './file-transfer.ts';
import { type ContainerGroup, type ContainerUser, MemoryFilesystem } from './files.ts';
import { IdentityStore } from './identities.ts';
import { LayerStore, readLayer } from './layer-store.ts';
import { NoticeStore } from './notices.ts';
import { checkExitCode, type ProcessModel } from './processes.ts';
import type { ServiceActionName } from './service-actions.ts';
import { ServiceLogs } from './service-logs.ts';
import { ServiceManager } from './services.ts';

/** Options for {@link MemoryPebble}. */
export interface MemoryPebbleOptions {
  /** Optional: whether the daemon answers. Default true; false makes every call a ConnectionError. */
  canConnect?: boolean;
  /** Optional: the socket path named in connection errors. Default `/charm/containers/workload/pebble.socket`. */
  socketPath?: string;
  /** Optional: the version `getSystemInfo` reports. Default `v1.32.1`. */
  version?: string;
  /** Optional: layers present at start, in order (label → layer). */
  layers?: Record<string, Layer>;
  /** Optional: exec handlers by command prefix (words joined by spaces, e.g. `"ls -l"`). */
  execs?: Record<string, ExecHandler>;
  /** Optional: how service commands behave beyond the built-in vocabulary. */
  processes?: ProcessModel;
  /** Optional: the daemon's uid; 0 (root, the default) bypasses file permission bits. */
  uid?: number;
  /** Optional: users in the container's `/etc/passwd`. Default root only. */
  users?: ContainerUser[];
  /** Optional: groups in the container's `/etc/group`. Default root only. */
  groups?: ContainerGroup[];
  /** Optional: run checks on their `period` timers as Pebble does. Default false (tests run them). */
  periodicChecks?: boolean;
  /**
   * Optional: how long a started service must stay up before its start task is Done (Pebble:
   * 1000). Default 0: starts settle at once, so charm tests do not wait.
   */
  okayDelayMs?: number;
  /** Optional: the clock. Default `Date.now`. */
  now?: () => number;
}

export type { ExecRecord } from './exec-runner.ts';

function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * An in-memory Pebble that implements the same `Pebble` interface as `PebbleClient`.
 *
 * @example
 * const pebble = new MemoryPebble({ execs: { 'redis-cli ping': { stdout: 'PONG\n' } } });
 * await pebble.addLayer('redis', { services: { redis: { override: 'replace', command: 'redis-server', startup: 'enabled' } } });
 * await pebble.replanServices();
 * (await pebble.listServices())[0]?.current; // 'active'
 */
export class MemoryPebble implements Pebble {
  /** The container filesystem (seed files with `files.write`). */
  readonly files: MemoryFilesystem;
  readonly #layers: LayerStore;
  readonly #execs: ExecRunner;
  readonly #changes: ChangeStore;
  readonly #notices: NoticeStore;
  readonly #logs = new ServiceLogs();
  readonly #services: ServiceManager;
  readonly #checks: CheckManager;
  readonly #identities = new IdentityStore();
  readonly #socketPath: string;
  readonly #version: string;
  readonly #bootId = crypto.randomUUID();
  #connected: boolean;

  /** Throws LayerValidationError when an initial layer is invalid. */
  constructor(options: MemoryPebbleOptions = {}) {
    const nowMs = options.now ?? Date.now;
    const now = (): Date => new Date(nowMs());
    this.#connected = options.canConnect ?? true;
    this.#socketPath = options.socketPath ?? '/charm/containers/workload/pebble.socket';
    this.#version = options.version ?? 'v1.32.1';
    this.#notices = new NoticeStore(nowMs, options.uid ?? 0);
    this.#changes = new ChangeStore(now, (change) => {
      const data: Record<string, string> = { kind: change.kind };
      const check = /check "(.*)"$/.exec(change.summary);
      if (check && change.kind.endsWith('-check')) data['check-name'] = check[1] as string;
      this.#notices.add(null, 'change-update', change.id, data);
    });
    const fsOptions: ConstructorParameters<typeof MemoryFilesystem>[0] = { now };
    if (options.uid !== undefined) fsOptions.uid = options.uid;
    if (options.users) fsOptions.users = options.users;
    if (options.groups) fsOptions.groups = options.groups;
    this.files = new MemoryFilesystem(fsOptions);
    this.#execs = new ExecRunner(this.#changes);
    this.#services = new ServiceManager({
      plan: () => this.#layers.plan,
      changes: this.#changes,
      logs: this.#logs,
      now,
      model: options.processes,
      okayDelayMs: options.okayDelayMs ?? 0,
    });
    this.#checks = new CheckManager({
      changes: this.#changes,
      plan: () => this.#layers.plan,
      periodic: options.periodicChecks ?? false,
      onFailure: (check) => this.#checkFailed(check),
      runCommand: (command) => checkExitCode(command, (path) => this.files.typeOf(path)),
    });
    this.#layers = new LayerStore(options.layers ?? {}, (plan) => this.#checks.planChanged(plan));
    for (const [prefix, handler] of Object.entries(options.execs ?? {}))
      this.handleExec(prefix, handler);
  }

  /** Every exec call made, oldest first. */
  get execHistory(): ExecRecord[] {
    return this.#execs.history;
  }

  // ------------------------------------------------------------------ test hooks

  /** Registers an exec handler for commands starting with `prefix` (the longest prefix wins). */
  handleExec(prefix: string | readonly string[], handler: ExecHandler): void {
    this.#execs.handle(prefix, handler);
  }

  /**
   * Puts a service in `active`, `inactive`, `backoff` or `error` without a change, as if it
   * got there before the test. Throws Error for a service not in the plan.
   */
  seedServiceStatus(name: string, status: string): void {
    this.#services.seed(name, status);
  }

  /** Makes the daemon reachable or not (a container restarting). */
  setCanConnect(canConnect: boolean): void {
    this.#connected = canConnect;
  }

  /** The process of a running service dies with `exitCode` (default 137); throws Error when not running. */
  killService(name: string, exitCode?: number): void {
    this.#services.kill(name, exitCode);
  }

  /** Sets what the check returns from now on: an error text, or undefined for success. */
  setCheckResult(name: string, error: string | undefined): void {
    this.#checks.setResult(name, error);
  }

  /** Runs a check once (as its period would); returns its error, if any. Throws APIError 404. */
  runCheck(name: string): string | undefined {
    return this.#checks.run(name);
  }

  /** Makes a check fail `threshold` times in a row, so it is `down` (and on-check-failure acts). */
  failCheck(name: string, error = 'check failed'): void {
    this.#checks.setResult(name, error);
    const threshold = this.#layers.plan.checks[name]?.threshold ?? 3;
    for (let i = 0; i < threshold; i++) this.#checks.run(name);
  }

  /** Writes a line to a service's log, as if the service printed it. */
  writeServiceLog(service: string, message: string): void {
    this.#logs.write(service, message, new Date());
  }

  /** The layers added so far, in order. */
  get layers(): Array<{ label: string; layer: Layer }> {
    return this.#layers.layers;
  }

  /** Stops the timers (backoff restarts, periodic checks). */
  close(): void {
    this.#services.close();
    this.#checks.close();
  }

  // ------------------------------------------------------------------ internals

  #connect(signal?: AbortSignal): void {
    signal?.throwIfAborted();
    if (!this.#connected) {
      throw new ConnectionError(
        this.#socketPath,
        `cannot connect to Pebble at ${this.#socketPath}: socket not found (container restarted?)`,
      );
    }
  }

  #checkFailed(check: string): void {
    for (const [name, service] of Object.entries(this.#layers.plan.services)) {
      if (service['on-check-failure']?.[check] === 'restart') this.#services.restartForCheck(name);
    }
  }

  async #serviceAction(
    action: ServiceActionName,
    names: readonly string[],
    options: ServiceChangeOptions = {},
  ): Promise<string> {
    this.#connect(options.signal);
    const change = this.#services.act(action, names);
    if (options.wait ?? true) {
      const done = await this.#changes.wait(change.id, options.timeoutMs ?? 30_000, options.signal);
      if (done.err) throw new ChangeError(copy(done));
    }
    return change.id;
  }

  // ------------------------------------------------------------------ Pebble

  async canConnect(_options?: RequestOptions): Promise<boolean> {
    return this.#connected;
  }

  async getSystemInfo(options?: RequestOptions): Promise<SystemInfo> {
    this.#connect(options?.signal);
    return { bootId: this.#bootId, version: this.#version };
  }

  async getHealth(options: HealthOptions = {}): Promise<boolean> {
    this.#connect(options.signal);
    return this.#checks.healthy(options.level, options.names);
  }

  async listChanges(options: ListChangesOptions = {}): Promise<Change[]> {
    this.#connect(options.signal);
    return copy(this.#changes.list(options));
  }

  async getChange(changeId: string, options?: RequestOptions): Promise<Change> {
    checkChangeId(changeId);
    this.#connect(options?.signal);
    return copy(this.#changes.get(changeId));
  }

  async waitChange(changeId: string, options: WaitChangeOptions = {}): Promise<Change> {
    checkChangeId(changeId);
    this.#connect(options.signal);
    return copy(await this.#changes.wait(changeId, options.timeoutMs ?? 30_000, options.signal));
  }

  async abortChange(changeId: string, options?: RequestOptions): Promise<Change> {
    checkChangeId(changeId);
    this.#connect(options?.signal);
    return copy(this.#changes.abort(changeId));
  }

  async addLayer(
    label: string,
    layer: Layer | string,
    options: AddLayerOptions = {},
  ): Promise<void> {
    const parsed = readLayer(label, layer);
    this.#connect(options.signal);
    this.#layers.add(label, parsed, options);
  }

  async getPlan(options?: RequestOptions): Promise<Plan> {
    this.#connect(options?.signal);
    return copy(this.#layers.plan);
  }

  async listServices(options: ListServicesOptions = {}): Promise<ServiceInfo[]> {
    this.#connect(options.signal);
    return this.#services.list(options.names);
  }

  startServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string> {
    return this.#serviceAction('start', names, options);
  }

  stopServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string> {
    return this.#serviceAction('stop', names, options);
  }

  restartServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string> {
    return this.#serviceAction('restart', names, options);
  }

  autostartServices(options?: ServiceChangeOptions): Promise<string> {
    return this.#serviceAction('autostart', [], options);
  }

  async replanServices(options?: ServiceChangeOptions): Promise<string> {
    const id = await this.#serviceAction('replan', [], { ...options, wait: false });
    this.#checks.replan();
    if (options?.wait ?? true) {
      const done = await this.#changes.wait(id, options?.timeoutMs ?? 30_000, options?.signal);
      if (done.err) throw new ChangeError(copy(done));
    }
    return id;
  }

  async sendSignal(
    signal: string,
    services: readonly string[],
    options?: RequestOptions,
  ): Promise<void> {
    this.#connect(options?.signal);
    this.#services.sendSignal(signal, services);
  }

  async listChecks(options: ListChecksOptions = {}): Promise<CheckInfo[]> {
    this.#connect(options.signal);
    return this.#checks.list(options);
  }

  async startChecks(names: readonly string[], options?: RequestOptions): Promise<string[]> {
    this.#connect(options?.signal);
    return this.#checks.start(names);
  }

  async stopChecks(names: readonly string[], options?: RequestOptions): Promise<string[]> {
    this.#connect(options?.signal);
    return this.#checks.stop(names);
  }

  async refreshCheck(name: string, options?: RequestOptions): Promise<RefreshCheckResult> {
    this.#connect(options?.signal);
    return this.#checks.refresh(name);
  }

  async listFiles(path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
    this.#connect(options.signal);
    return this.files.list(path, options);
  }

  async push(path: string, source: PushSource, options: PushOptions = {}): Promise<void> {
    this.#connect(options.signal);
    this.files.write(path, await readPushSource(source), options);
  }

  async pull(path: string, options?: PullOptions): Promise<Readable> {
    this.#connect(options?.signal);
    return pulledStream(this.files.read(path));
  }

  async makeDir(path: string, options: MakeDirOptions = {}): Promise<void> {
    this.#connect(options.signal);
    this.files.makeDir(path, options);
  }

  async removePath(path: string, options: RemovePathOptions = {}): Promise<void> {
    this.#connect(options.signal);
    this.files.remove(path, options.recursive ?? false);
  }

  async exec(command: readonly string[], options: ExecOptions = {}): Promise<ExecProcess> {
    this.#connect(options.signal);
    return this.#execs.run(command, options, this.#layers.plan, (path) => this.files.isDir(path));
  }

  async listNotices(options: ListNoticesOptions = {}): Promise<Notice[]> {
    this.#connect(options.signal);
    return this.#notices.list(options);
  }

  async getNotice(id: string, options?: RequestOptions): Promise<Notice> {
    this.#connect(options?.signal);
    return this.#notices.get(id);
  }

  async notify(key: string, options: NotifyOptions = {}): Promise<string> {
    this.#connect(options.signal);
    return this.#notices.notify(key, options);
  }

  logs(options: LogsOptions = {}): AsyncIterable<LogEntry> {
    this.#connect(options.signal);
    return this.#logs.read(options);
  }

  async listIdentities(options?: RequestOptions): Promise<Record<string, Identity>> {
    this.#connect(options?.signal);
    return this.#identities.list();
  }

  async addIdentities(
    identities: Record<string, Identity>,
    options?: RequestOptions,
  ): Promise<void> {
    this.#connect(options?.signal);
    this.#identities.add(identities);
  }

  async updateIdentities(
    identities: Record<string, Identity>,
    options?: RequestOptions,
  ): Promise<void> {
    this.#connect(options?.signal);
    this.#identities.update(identities);
  }

  async replaceIdentities(
    identities: Record<string, Identity | null>,
    options?: RequestOptions,
  ): Promise<void> {
    this.#connect(options?.signal);
    this.#identities.replace(identities);
  }

  async removeIdentities(names: readonly string[], options?: RequestOptions): Promise<void> {
    this.#connect(options?.signal);
    this.#identities.remove(names);
  }

  async getMetrics(options?: RequestOptions): Promise<string> {
    this.#connect(options?.signal);
    return [...this.#services.metrics(), ...this.#checks.metrics()].join('');
  }
}
