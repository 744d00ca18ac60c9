/**
 * Public types of @charm-ts/pebble. Layer and plan types use Pebble's own YAML keys
 * (`'working-dir'`, `'on-failure'`, `'user-id'`) so a layer literal reads like Pebble's docs.
 * Everything else (results, options) is camelCase; wire shapes stay in `internal/wire.ts`.
 * @module
 */
import type { Readable } from 'node:stream';

/** Options every I/O call accepts. */
export interface RequestOptions {
  /** Optional: aborts the call; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

// ---------------------------------------------------------------- system, health, maintenance

/** `GET /v1/system-info`. */
export interface SystemInfo {
  bootId: string;
  version: string;
  httpAddress?: string;
  httpsAddress?: string;
}

/** Pebble's `maintenance` field: set while a restart is pending. */
export interface Maintenance {
  kind: 'system-restart' | 'daemon-restart' | (string & {});
  message: string;
}

/** Options for {@link Pebble.health}. */
export interface HealthOptions extends RequestOptions {
  /** Optional: only checks of this level (`ready` includes `alive`). */
  level?: CheckLevel;
  /** Optional: only these checks. */
  names?: readonly string[];
}

// ---------------------------------------------------------------- changes

/** Change and task statuses, as Pebble spells them. */
export type ChangeStatus =
  | 'Default'
  | 'Hold'
  | 'Do'
  | 'Doing'
  | 'Done'
  | 'Abort'
  | 'Undo'
  | 'Undoing'
  | 'Undone'
  | 'Error'
  | 'Wait'
  | (string & {});

export interface TaskProgress {
  label: string;
  done: number;
  total: number;
}

export interface Task {
  id: string;
  kind: string;
  summary: string;
  status: ChangeStatus;
  /** Up to 10 log lines, each `"<RFC3339> <LEVEL> <message>"`. */
  log: string[];
  progress: TaskProgress;
  spawnTime: Date;
  readyTime?: Date;
  /** The task's `api-data` (for exec: `{ 'exit-code': n }`). */
  data: Record<string, unknown>;
}

export interface Change {
  id: string;
  kind: string;
  summary: string;
  status: ChangeStatus;
  /** True once the change is finished (Done, Undone, Hold or Error). */
  ready: boolean;
  /** Set when the status is Error. */
  err?: string;
  spawnTime: Date;
  readyTime?: Date;
  tasks: Task[];
  data: Record<string, unknown>;
}

export type ChangeSelector = 'in-progress' | 'ready' | 'all';

export interface ListChangesOptions extends RequestOptions {
  /** Optional: which changes; default `in-progress` (Pebble's default). */
  select?: ChangeSelector;
  /** Optional: only changes for this service. */
  service?: string;
}

export interface WaitChangeOptions extends RequestOptions {
  /** Optional: give up after this many milliseconds with a TimeoutError. Default 30 000. */
  timeoutMs?: number;
}

// ---------------------------------------------------------------- layers and plan

export type Override = 'merge' | 'replace';
export type Startup = 'enabled' | 'disabled';
/** A Go duration string, e.g. `"500ms"`, `"1m30s"`. Bare numbers are refused by Pebble. */
export type Duration = string;
export type ServiceAction =
  | 'restart'
  | 'shutdown'
  | 'failure-shutdown'
  | 'success-shutdown'
  | 'ignore';

/** A service in a layer, keyed as in Pebble's layer specification. */
export interface Service {
  override?: Override;
  summary?: string;
  description?: string;
  command?: string;
  startup?: Startup;
  after?: string[];
  before?: string[];
  requires?: string[];
  environment?: Record<string, string>;
  user?: string;
  'user-id'?: number;
  group?: string;
  'group-id'?: number;
  'working-dir'?: string;
  workload?: string;
  'on-success'?: ServiceAction;
  'on-failure'?: ServiceAction;
  'on-check-failure'?: Record<string, ServiceAction>;
  'backoff-delay'?: Duration;
  'backoff-factor'?: number;
  'backoff-limit'?: Duration;
  'kill-delay'?: Duration;
}

export type CheckLevel = 'alive' | 'ready';

export interface HttpCheck {
  url?: string;
  headers?: Record<string, string>;
}

export interface TcpCheck {
  port?: number;
  host?: string;
}

export interface ExecCheck {
  command?: string;
  'service-context'?: string;
  environment?: Record<string, string>;
  user?: string;
  'user-id'?: number;
  group?: string;
  'group-id'?: number;
  'working-dir'?: string;
}

/** A health check in a layer. Exactly one of `http`, `tcp`, `exec`. */
export interface Check {
  override?: Override;
  level?: CheckLevel;
  startup?: Startup;
  period?: Duration;
  timeout?: Duration;
  threshold?: number;
  http?: HttpCheck;
  tcp?: TcpCheck;
  exec?: ExecCheck;
}

export interface LogTarget {
  override?: Override;
  type?: 'loki' | 'opentelemetry' | 'syslog' | (string & {});
  location?: string;
  services?: string[];
  labels?: Record<string, string>;
}

/** A Pebble layer, as written in YAML. */
export interface Layer {
  summary?: string;
  description?: string;
  services?: Record<string, Service>;
  checks?: Record<string, Check>;
  'log-targets'?: Record<string, LogTarget>;
  /** Extension sections (`workloads`, `pairing`) pass through untouched. */
  [section: string]: unknown;
}

/** The combined plan: the same shape as a layer, without overrides mattering. */
export type Plan = Layer & {
  services: Record<string, Service>;
  checks: Record<string, Check>;
  'log-targets': Record<string, LogTarget>;
};

export interface AddLayerOptions extends RequestOptions {
  /** Optional: merge into an existing layer with this label instead of failing. Default false. */
  combine?: boolean;
  /** Optional: allow inserting a `dir/label` layer before later layers. Default false. */
  inner?: boolean;
}

// ---------------------------------------------------------------- services

export type ServiceStatus = 'active' | 'inactive' | 'backoff' | 'error' | (string & {});

export interface ServiceInfo {
  name: string;
  startup: Startup;
  current: ServiceStatus;
  /** When the service entered its current state; absent for a never-started service. */
  currentSince?: Date;
}

export interface ListServicesOptions extends RequestOptions {
  /** Optional: only these services (unknown names are ignored by Pebble). */
  names?: readonly string[];
}

/** Options for the service actions (start, stop, restart, autostart, replan). */
export interface ServiceChangeOptions extends RequestOptions {
  /** Optional: wait for the change to finish and throw ChangeError if it failed. Default true. */
  wait?: boolean;
  /** Optional: how long to wait, in milliseconds. Default 30 000. */
  timeoutMs?: number;
}

// ---------------------------------------------------------------- checks

export type CheckStatus = 'up' | 'down' | 'inactive' | (string & {});

export interface CheckInfo {
  name: string;
  level?: CheckLevel;
  startup: Startup;
  status: CheckStatus;
  successes: number;
  failures: number;
  threshold: number;
  changeId?: string;
  prevChangeId?: string;
}

export interface ListChecksOptions extends RequestOptions {
  level?: CheckLevel;
  names?: readonly string[];
}

export interface RefreshCheckResult {
  info: CheckInfo;
  /** The check's error, if the refreshed run failed. */
  error?: string;
}

// ---------------------------------------------------------------- files

export type FileType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'socket'
  | 'named-pipe'
  | 'device'
  | 'unknown'
  | (string & {});

export interface FileInfo {
  path: string;
  name: string;
  type: FileType;
  /** Size in bytes, for regular files. */
  size?: number;
  /** Permission bits, e.g. 0o644. */
  permissions: number;
  lastModified: Date;
  userId?: number;
  user?: string;
  groupId?: number;
  group?: string;
}

export interface ListFilesOptions extends RequestOptions {
  /** Optional: a glob on the entry names, e.g. `*.txt`. */
  pattern?: string;
  /** Optional: list a directory itself rather than its contents. Default false. */
  itself?: boolean;
}

/** Ownership and mode of a written file or directory. */
export interface FileOwnership {
  /** Optional: permission bits, e.g. 0o600. Default 0o644 for files, 0o755 for directories. */
  permissions?: number;
  userId?: number;
  user?: string;
  groupId?: number;
  group?: string;
}

/** What `push` accepts: the bytes themselves or a stream of them. */
export type PushSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array | string>;

export interface PushOptions extends RequestOptions, FileOwnership {
  /** Optional: create missing parent directories. Default false. */
  makeDirs?: boolean;
}

export interface MakeDirOptions extends RequestOptions, FileOwnership {
  /** Optional: create missing parents too, and succeed if it exists. Default false. */
  makeParents?: boolean;
}

export interface RemovePathOptions extends RequestOptions {
  /** Optional: remove a directory and everything below it. Default false. */
  recursive?: boolean;
}

export type PullOptions = RequestOptions;

// ---------------------------------------------------------------- exec

export interface ExecOptions extends RequestOptions {
  /** Optional: variables added to the daemon's environment. */
  environment?: Record<string, string>;
  /** Optional: run with the environment, user and directory of this service. */
  serviceContext?: string;
  /** Optional: directory to run in. Default the user's home, or `/`. */
  workingDir?: string;
  /** Optional: kill the process after this many milliseconds (TimeoutError). Default none. */
  timeoutMs?: number;
  userId?: number;
  user?: string;
  groupId?: number;
  group?: string;
  /** Optional: data for the process's stdin; without it stdin is closed at once unless `interactive` input is written. */
  stdin?: PushSource;
  /** Optional: merge stderr into stdout (one stream). Default false. */
  combineStderr?: boolean;
  /** Optional: allocate a terminal. Default false. */
  terminal?: boolean;
  /** Optional: keep stdin open for `process.stdin` writes. Default false. */
  interactive?: boolean;
  width?: number;
  height?: number;
}

/** A running command. */
export interface ExecProcess {
  /** Writable stdin when the process was started with `interactive: true`, else null. */
  readonly stdin: NodeJS.WritableStream | null;
  readonly stdout: Readable;
  /** Null when `combineStderr` was set. */
  readonly stderr: Readable | null;
  /** Waits for exit and returns the exit code (never throws on a non-zero code). */
  wait(): Promise<number>;
  /** Collects the output; throws ExecError on a non-zero exit. */
  waitOutput(): Promise<{ stdout: string; stderr: string }>;
  /** Sends a signal by name, e.g. `SIGTERM`. */
  signal(name: string): Promise<void>;
  /** Resizes the terminal (terminal mode only). */
  resize(width: number, height: number): Promise<void>;
}

// ---------------------------------------------------------------- notices

export type NoticeType = 'change-update' | 'custom' | 'warning' | (string & {});

export interface Notice {
  id: string;
  /** Null for a public notice. */
  userId: number | null;
  type: NoticeType;
  key: string;
  firstOccurred: Date;
  lastOccurred: Date;
  lastRepeated: Date;
  /** `last-repeated` exactly as Pebble wrote it (nanoseconds), for `after` filters. */
  lastRepeatedRaw: string;
  occurrences: number;
  lastData: Record<string, string>;
  repeatAfter?: string;
  expireAfter?: string;
}

export interface ListNoticesOptions extends RequestOptions {
  types?: readonly NoticeType[];
  keys?: readonly string[];
  /** Optional: only notices repeated after this time (a Date, or Pebble's raw RFC3339 string). */
  after?: Date | string;
  /** Optional: long-poll up to this many milliseconds for a match; `[]` when none came. */
  timeoutMs?: number;
  /** Optional (admin): notices of this user, or `'all'`. */
  users?: number | 'all';
}

export interface NotifyOptions extends RequestOptions {
  /** Optional: string data attached to the notice (at most 4 KiB). */
  data?: Record<string, string>;
  /** Optional: suppress re-occurrence within this Go duration, e.g. `"1h"`. */
  repeatAfter?: Duration;
}

// ---------------------------------------------------------------- logs

export interface LogEntry {
  time: Date;
  service: string;
  message: string;
}

export interface LogsOptions extends RequestOptions {
  /** Optional: only these services. */
  services?: readonly string[];
  /** Optional: the last n lines (-1: all buffered). Default 30, or 0 when following. */
  n?: number;
  /** Optional: keep streaming new lines until the signal aborts or the iterator is closed. */
  follow?: boolean;
}

// ---------------------------------------------------------------- identities

export type IdentityAccess = 'admin' | 'read' | 'metrics' | 'untrusted' | (string & {});

export interface Identity {
  access: IdentityAccess;
  local?: { userId: number };
  basic?: { password: string };
  cert?: { pem: string };
}
