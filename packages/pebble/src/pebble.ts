/**
 * The Pebble API as one interface. `PebbleClient` implements it over the daemon's socket; the
 * in-memory Pebble of @charm-ts/testing implements it too, and one contract suite runs on both.
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
} from './types.ts';

/**
 * Everything a charm (or a test) can ask of Pebble. Errors: `APIError` for a refusal,
 * `ConnectionError` when the socket is unreachable, `ChangeError` when a waited-for change
 * fails, `PathError` for a per-path files error, `TimeoutError` past a timeout,
 * `NotSupportedError` for an endpoint an older daemon lacks.
 */
export interface Pebble {
  /** True when the daemon answers `system-info`; never throws. */
  canConnect(options?: RequestOptions): Promise<boolean>;
  getSystemInfo(options?: RequestOptions): Promise<SystemInfo>;
  /** True when every matching check is up (Pebble answers 502 when one is down). */
  getHealth(options?: HealthOptions): Promise<boolean>;

  listChanges(options?: ListChangesOptions): Promise<Change[]>;
  getChange(changeId: string, options?: RequestOptions): Promise<Change>;
  /** Waits until the change is ready (throws TimeoutError past `timeoutMs`); does not throw on a failed change. */
  waitChange(changeId: string, options?: WaitChangeOptions): Promise<Change>;
  abortChange(changeId: string, options?: RequestOptions): Promise<Change>;

  /** Adds (or with `combine`, merges into) the layer `label`. Validates first (LayerValidationError). */
  addLayer(label: string, layer: Layer | string, options?: AddLayerOptions): Promise<void>;
  getPlan(options?: RequestOptions): Promise<Plan>;

  listServices(options?: ListServicesOptions): Promise<ServiceInfo[]>;
  /** Each service action returns its change id, after the change finished unless `wait: false`. */
  startServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string>;
  stopServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string>;
  restartServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string>;
  autostartServices(options?: ServiceChangeOptions): Promise<string>;
  /** Restarts services whose definition changed and starts enabled ones. */
  replanServices(options?: ServiceChangeOptions): Promise<string>;
  /** Sends a signal (e.g. `SIGHUP`) to running services. */
  sendSignal(signal: string, services: readonly string[], options?: RequestOptions): Promise<void>;

  listChecks(options?: ListChecksOptions): Promise<CheckInfo[]>;
  /** Returns the names whose state changed. */
  startChecks(names: readonly string[], options?: RequestOptions): Promise<string[]>;
  stopChecks(names: readonly string[], options?: RequestOptions): Promise<string[]>;
  refreshCheck(name: string, options?: RequestOptions): Promise<RefreshCheckResult>;

  listFiles(path: string, options?: ListFilesOptions): Promise<FileInfo[]>;
  /** Writes a file, streaming the source. Throws PathError for a per-path failure. */
  push(path: string, source: PushSource, options?: PushOptions): Promise<void>;
  /** Reads a file as a stream. Throws PathError when it cannot be read. */
  pull(path: string, options?: PullOptions): Promise<Readable>;
  makeDir(path: string, options?: MakeDirOptions): Promise<void>;
  removePath(path: string, options?: RemovePathOptions): Promise<void>;

  /** Starts a command; see ExecProcess for its streams and exit. */
  exec(command: readonly string[], options?: ExecOptions): Promise<ExecProcess>;

  /** Lists notices; with `timeoutMs`, long-polls until one matches or the time is up. */
  listNotices(options?: ListNoticesOptions): Promise<Notice[]>;
  getNotice(id: string, options?: RequestOptions): Promise<Notice>;
  /** Records a custom notice and returns its id. */
  notify(key: string, options?: NotifyOptions): Promise<string>;

  /** Service logs; with `follow`, streams until aborted or the loop breaks. */
  logs(options?: LogsOptions): AsyncIterable<LogEntry>;

  listIdentities(options?: RequestOptions): Promise<Record<string, Identity>>;
  addIdentities(identities: Record<string, Identity>, options?: RequestOptions): Promise<void>;
  updateIdentities(identities: Record<string, Identity>, options?: RequestOptions): Promise<void>;
  /** Replaces the named identities; `null` removes one. */
  replaceIdentities(
    identities: Record<string, Identity | null>,
    options?: RequestOptions,
  ): Promise<void>;
  removeIdentities(names: readonly string[], options?: RequestOptions): Promise<void>;

  /** OpenMetrics text. */
  getMetrics(options?: RequestOptions): Promise<string>;
}
