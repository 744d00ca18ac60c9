/**
 * `PebbleClient`: the Pebble API over the daemon's UNIX socket. Each method is one line that
 * hands the shared `Requester` to the function of its API area (`services.ts`, `files.ts`, …).
 * @module
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { abortChange, getChange, listChanges, waitChange } from './changes.ts';
import { listChecks, refreshCheck, startChecks, stopChecks } from './checks.ts';
import { exec } from './exec.ts';
import { listFiles, makeDir, removePath } from './files.ts';
import { pull } from './files-pull.ts';
import { push } from './files-push.ts';
import { getHealth, getSystemInfo } from './health.ts';
import {
  addIdentities,
  listIdentities,
  removeIdentities,
  replaceIdentities,
  updateIdentities,
} from './identities.ts';
import { Requester } from './internal/requester.ts';
import { logs } from './logs.ts';
import { getMetrics } from './metrics.ts';
import { getNotice, listNotices, notify } from './notices.ts';
import type { Pebble } from './pebble.ts';
import { addLayer, getPlan } from './plan.ts';
import {
  autostartServices,
  listServices,
  replanServices,
  restartServices,
  sendSignal,
  startServices,
  stopServices,
} from './services.ts';
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
  Maintenance,
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

/** Options for {@link PebbleClient}. */
export interface PebbleClientOptions {
  /**
   * Optional: the daemon's socket. Default `$PEBBLE_SOCKET`, else `$PEBBLE/.pebble.socket`,
   * else `/var/lib/pebble/default/.pebble.socket` (Pebble's own default).
   */
  socketPath?: string;
  /** Optional: how long GET requests retry connection errors, in milliseconds. Default 1000. */
  retryMs?: number;
}

/** Where the socket is when the caller does not say: Pebble's own rules. */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PEBBLE_SOCKET) return env.PEBBLE_SOCKET;
  return join(env.PEBBLE || '/var/lib/pebble/default', '.pebble.socket');
}

/**
 * A client of one Pebble daemon. Cheap to construct: nothing is loaded or dialled until the
 * first call. Call `close()` when done so the process can exit promptly.
 *
 * @example
 * const pebble = new PebbleClient({ socketPath: '/charm/containers/redis/pebble.socket' });
 * await pebble.addLayer('redis', { services: { redis: { override: 'replace', command: 'redis-server' } } }, { combine: true });
 * await pebble.replanServices();
 */
export class PebbleClient implements Pebble {
  readonly #rq: Requester;

  constructor(options: PebbleClientOptions = {}) {
    this.#rq = new Requester({
      socketPath: options.socketPath ?? defaultSocketPath(),
      retryMs: options.retryMs ?? 1000,
    });
  }

  /** The socket this client dials. */
  get socketPath(): string {
    return this.#rq.socketPath;
  }

  /** Pebble's last reported maintenance (a pending restart), if any. */
  get maintenance(): Maintenance | undefined {
    return this.#rq.maintenance;
  }

  /** The time of Pebble's latest warning notice, as last reported. */
  get latestWarning(): Date | undefined {
    return this.#rq.latestWarning;
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    return this.#rq.close();
  }

  async canConnect(options?: RequestOptions): Promise<boolean> {
    try {
      await getSystemInfo(this.#rq, { ...options, retry: false });
      return true;
    } catch {
      return false;
    }
  }
  getSystemInfo(options?: RequestOptions): Promise<SystemInfo> {
    return getSystemInfo(this.#rq, options);
  }
  getHealth(options?: HealthOptions): Promise<boolean> {
    return getHealth(this.#rq, options);
  }

  listChanges(options?: ListChangesOptions): Promise<Change[]> {
    return listChanges(this.#rq, options);
  }
  getChange(changeId: string, options?: RequestOptions): Promise<Change> {
    return getChange(this.#rq, changeId, options);
  }
  waitChange(changeId: string, options?: WaitChangeOptions): Promise<Change> {
    return waitChange(this.#rq, changeId, options);
  }
  abortChange(changeId: string, options?: RequestOptions): Promise<Change> {
    return abortChange(this.#rq, changeId, options);
  }

  addLayer(label: string, layer: Layer | string, options?: AddLayerOptions): Promise<void> {
    return addLayer(this.#rq, label, layer, options);
  }
  getPlan(options?: RequestOptions): Promise<Plan> {
    return getPlan(this.#rq, options);
  }

  listServices(options?: ListServicesOptions): Promise<ServiceInfo[]> {
    return listServices(this.#rq, options);
  }
  startServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string> {
    return startServices(this.#rq, names, options);
  }
  stopServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string> {
    return stopServices(this.#rq, names, options);
  }
  restartServices(names: readonly string[], options?: ServiceChangeOptions): Promise<string> {
    return restartServices(this.#rq, names, options);
  }
  autostartServices(options?: ServiceChangeOptions): Promise<string> {
    return autostartServices(this.#rq, options);
  }
  replanServices(options?: ServiceChangeOptions): Promise<string> {
    return replanServices(this.#rq, options);
  }
  sendSignal(signal: string, services: readonly string[], options?: RequestOptions): Promise<void> {
    return sendSignal(this.#rq, signal, services, options);
  }

  listChecks(options?: ListChecksOptions): Promise<CheckInfo[]> {
    return listChecks(this.#rq, options);
  }
  startChecks(names: readonly string[], options?: RequestOptions): Promise<string[]> {
    return startChecks(this.#rq, names, options);
  }
  stopChecks(names: readonly string[], options?: RequestOptions): Promise<string[]> {
    return stopChecks(this.#rq, names, options);
  }
  refreshCheck(name: string, options?: RequestOptions): Promise<RefreshCheckResult> {
    return refreshCheck(this.#rq, name, options);
  }

  listFiles(path: string, options?: ListFilesOptions): Promise<FileInfo[]> {
    return listFiles(this.#rq, path, options);
  }
  push(path: string, source: PushSource, options?: PushOptions): Promise<void> {
    return push(this.#rq, path, source, options);
  }
  pull(path: string, options?: PullOptions): Promise<Readable> {
    return pull(this.#rq, path, options);
  }
  makeDir(path: string, options?: MakeDirOptions): Promise<void> {
    return makeDir(this.#rq, path, options);
  }
  removePath(path: string, options?: RemovePathOptions): Promise<void> {
    return removePath(this.#rq, path, options);
  }

  exec(command: readonly string[], options?: ExecOptions): Promise<ExecProcess> {
    return exec(this.#rq, command, options);
  }

  listNotices(options?: ListNoticesOptions): Promise<Notice[]> {
    return listNotices(this.#rq, options);
  }
  getNotice(id: string, options?: RequestOptions): Promise<Notice> {
    return getNotice(this.#rq, id, options);
  }
  notify(key: string, options?: NotifyOptions): Promise<string> {
    return notify(this.#rq, key, options);
  }

  logs(options?: LogsOptions): AsyncIterable<LogEntry> {
    return logs(this.#rq, options);
  }

  listIdentities(options?: RequestOptions): Promise<Record<string, Identity>> {
    return listIdentities(this.#rq, options);
  }
  addIdentities(identities: Record<string, Identity>, options?: RequestOptions): Promise<void> {
    return addIdentities(this.#rq, identities, options);
  }
  updateIdentities(identities: Record<string, Identity>, options?: RequestOptions): Promise<void> {
    return updateIdentities(this.#rq, identities, options);
  }
  replaceIdentities(
    identities: Record<string, Identity | null>,
    options?: RequestOptions,
  ): Promise<void> {
    return replaceIdentities(this.#rq, identities, options);
  }
  removeIdentities(names: readonly string[], options?: RequestOptions): Promise<void> {
    return removeIdentities(this.#rq, names, options);
  }

  getMetrics(options?: RequestOptions): Promise<string> {
    return getMetrics(this.#rq, options);
  }
}
