/**
 * `Container`: a workload container's Pebble, with everything a charm does there: layers and
 * the plan, services and checks, files (text, bytes, streams, whole trees), notices, signals and
 * exec. The Pebble client (and undici under it) is only loaded when a container is first used.
 * @module
 */
import type { Readable } from 'node:stream';
import type {
  CheckInfo,
  ExecOptions,
  FileInfo,
  Layer,
  ListFilesOptions,
  ListNoticesOptions,
  MakeDirOptions,
  Notice,
  Pebble,
  Plan,
  PushOptions,
  PushSource,
  RemovePathOptions,
  RequestOptions,
  ServiceChangeOptions,
  ServiceInfo,
} from '@charm-ts/pebble';
import { APIError, PathError } from '@charm-ts/pebble/errors';
import { ModelError } from '../errors.ts';
import type { PebbleFactory } from '../internal/runtime.ts';
import { type ApplyLayerOptions, type ApplyLayerResult, applyLayer } from './apply-layer.ts';
import { type PathCopyOptions, pullPath, pushPath } from './paths.ts';

/** Options of `Container.exec`. */
export type ContainerExecOptions = Omit<
  ExecOptions,
  'interactive' | 'terminal' | 'width' | 'height'
>;

/** A service as `getServices` gives it. */
export interface ContainerService extends ServiceInfo {
  /** True while the service runs (`current` is `active`). */
  isRunning(): boolean;
}

/** A check as `getChecks` gives it. */
export interface ContainerCheck extends CheckInfo {
  /** True while Pebble performs the check (started: `status` is not `inactive`). */
  isRunning(): boolean;
}

/** Options of `Container.addLayer`. */
export interface ContainerAddLayerOptions extends RequestOptions {
  /**
   * Optional: merge into an existing layer of this label (Pebble's `combine`). Default true,
   * unlike Python ops: a charm re-adds its layer on every event, which must not fail.
   */
  combine?: boolean;
}

/** One workload container of this unit. */
export class Container {
  /** The container's name, as in charmcraft.yaml. */
  readonly name: string;
  readonly #factory: PebbleFactory;
  #client: Promise<Pebble> | undefined;

  /** @internal Built by `Unit.container`. */
  constructor(name: string, factory: PebbleFactory) {
    this.name = name;
    this.#factory = factory;
  }

  /** The full Pebble API of this container (see @charm-ts/pebble). */
  pebble(): Promise<Pebble> {
    this.#client ??= Promise.resolve(this.#factory(this.name));
    return this.#client;
  }

  /** True when Pebble answers right now; never throws. A point-in-time answer: still handle errors. */
  async canConnect(): Promise<boolean> {
    try {
      return await (await this.pebble()).canConnect();
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------ layers and the plan

  /**
   * Adds `layer` under `label` (merged into an existing one) and replans, in three Pebble
   * requests: Pebble restarts the services whose definition changed and starts enabled ones not
   * running. Returns both lists. Throws Pebble's `ChangeError` (a service exited at start; the
   * message has its output), `ConnectionError`, `APIError`, `LayerValidationError`.
   */
  async applyLayer(
    label: string,
    layer: Layer,
    options: ApplyLayerOptions = {},
  ): Promise<ApplyLayerResult> {
    return applyLayer(await this.pebble(), label, layer, options);
  }

  /** Adds the layer `label` (merged into an existing one unless `combine: false`). */
  async addLayer(
    label: string,
    layer: Layer | string,
    options: ContainerAddLayerOptions = {},
  ): Promise<void> {
    const { combine = true, ...rest } = options;
    await (await this.pebble()).addLayer(label, layer, { ...rest, combine });
  }

  /** The combined plan of all layers. */
  async getPlan(options: RequestOptions = {}): Promise<Plan> {
    return (await this.pebble()).getPlan(options);
  }

  // ------------------------------------------------------------ services

  /** Services by name (all, or only `names`), each with `isRunning()`. */
  async getServices(
    names: readonly string[] = [],
    options: RequestOptions = {},
  ): Promise<Record<string, ContainerService>> {
    const list = await (await this.pebble()).listServices({ ...options, names });
    return Object.fromEntries(
      list.map((s) => [s.name, { ...s, isRunning: () => s.current === 'active' }]),
    );
  }

  /** One service. Throws `ModelError` when the plan has no such service. */
  async getService(name: string, options: RequestOptions = {}): Promise<ContainerService> {
    const service = (await this.getServices([name], options))[name];
    if (!service) throw new ModelError(`service '${name}' not found in container ${this.name}`);
    return service;
  }

  /** Starts services (waits for the change; `ChangeError` when one fails to start). */
  async start(names: readonly string[], options: ServiceChangeOptions = {}): Promise<void> {
    await (await this.pebble()).startServices(names, options);
  }

  /** Stops services (waits for the change). */
  async stop(names: readonly string[], options: ServiceChangeOptions = {}): Promise<void> {
    await (await this.pebble()).stopServices(names, options);
  }

  /** Restarts services, starting those not running (waits for the change). */
  async restart(names: readonly string[], options: ServiceChangeOptions = {}): Promise<void> {
    await (await this.pebble()).restartServices(names, options);
  }

  /** Restarts services whose definition changed and starts enabled ones; waits for the change. */
  async replan(options: ServiceChangeOptions = {}): Promise<void> {
    await (await this.pebble()).replanServices(options);
  }

  /** Sends a signal (`SIGHUP`, …) to running services. Throws `APIError` for one not running. */
  async sendSignal(
    signal: string,
    names: readonly string[],
    options: RequestOptions = {},
  ): Promise<void> {
    await (await this.pebble()).sendSignal(signal, names, options);
  }

  // ------------------------------------------------------------ checks

  /** Checks by name (all, or only `names`; optionally one level), each with `isRunning()`. */
  async getChecks(
    names: readonly string[] = [],
    options: RequestOptions & { level?: 'alive' | 'ready' } = {},
  ): Promise<Record<string, ContainerCheck>> {
    const list = await (await this.pebble()).listChecks({ ...options, names });
    return Object.fromEntries(
      list.map((c) => [c.name, { ...c, isRunning: () => c.status !== 'inactive' }]),
    );
  }

  /** One check. Throws `ModelError` when the plan has no such check. */
  async getCheck(name: string, options: RequestOptions = {}): Promise<ContainerCheck> {
    const check = (await this.getChecks([name], options))[name];
    if (!check) throw new ModelError(`check '${name}' not found in container ${this.name}`);
    return check;
  }

  /** Starts checks; returns the names that were stopped before. */
  async startChecks(names: readonly string[], options: RequestOptions = {}): Promise<string[]> {
    return (await this.pebble()).startChecks(names, options);
  }

  /** Stops checks; returns the names that were running before. */
  async stopChecks(names: readonly string[], options: RequestOptions = {}): Promise<string[]> {
    return (await this.pebble()).stopChecks(names, options);
  }

  // ------------------------------------------------------------ notices

  /** One notice by id. Throws `APIError` (kind `not-found`) when there is none. */
  async getNotice(id: string, options: RequestOptions = {}): Promise<Notice> {
    return (await this.pebble()).getNotice(id, options);
  }

  /** Notices, filtered by type, key or time. */
  async getNotices(options: ListNoticesOptions = {}): Promise<Notice[]> {
    return (await this.pebble()).listNotices(options);
  }

  // ------------------------------------------------------------ files

  /**
   * Writes text, bytes or a stream to `path`. Missing parent directories are an error unless
   * `makeDirs: true` (as in ops). Throws `PathError` (kind `not-found` for a missing parent).
   */
  async push(path: string, source: PushSource, options: PushOptions = {}): Promise<void> {
    await (await this.pebble()).push(path, source, options);
  }

  /** Writes `value` as pretty JSON (see `push`). */
  pushJson(path: string, value: unknown, options: PushOptions = {}): Promise<void> {
    return this.push(path, `${JSON.stringify(value, null, 2)}\n`, options);
  }

  /** Reads a file as a stream. Throws `PathError` (kind `not-found` when absent). */
  async pull(path: string, options: RequestOptions = {}): Promise<Readable> {
    return (await this.pebble()).pull(path, options);
  }

  /** Reads a file's bytes. Throws `PathError`. */
  async pullBytes(path: string, options: RequestOptions = {}): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.pull(path, options))
      chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }

  /** Reads a file as UTF-8 text. Throws `PathError`. */
  async pullText(path: string, options: RequestOptions = {}): Promise<string> {
    return Buffer.from(await this.pullBytes(path, options)).toString('utf8');
  }

  /** Reads and parses a JSON file. Throws `PathError`, or `SyntaxError` for bad JSON. */
  async pullJson<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return JSON.parse(await this.pullText(path, options)) as T;
  }

  /**
   * Copies local files or trees (in the charm container) into `destDir` of the workload, as
   * ops' `push_path`: `/src/site` lands at `destDir/site`, `/src/site/*` puts its contents in
   * `destDir`. Directories are created; modes are kept; other file types are skipped. Every
   * path is tried; then `PathCopyError` lists the ones that failed.
   */
  async pushPath(
    sources: string | readonly string[],
    destDir: string,
    options: PathCopyOptions = {},
  ): Promise<void> {
    await pushPath(await this.pebble(), sources, destDir, options);
  }

  /** Copies files or trees of the workload into local `destDir`, as `pushPath` the other way. */
  async pullPath(
    sources: string | readonly string[],
    destDir: string,
    options: PathCopyOptions = {},
  ): Promise<void> {
    await pullPath(await this.pebble(), sources, destDir, options);
  }

  /** Lists a directory (or, with `itself`, the path itself). Throws `PathError`. */
  async listFiles(path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
    return (await this.pebble()).listFiles(path, options);
  }

  /** Creates a directory (with `makeParents`, its parents too, and no error if it exists). */
  async makeDir(path: string, options: MakeDirOptions = {}): Promise<void> {
    await (await this.pebble()).makeDir(path, options);
  }

  /** Removes a file or an empty directory (with `recursive`, a whole tree). Throws `PathError`. */
  async removePath(path: string, options: RemovePathOptions = {}): Promise<void> {
    await (await this.pebble()).removePath(path, options);
  }

  /** True when `path` exists; other errors (no connection, permission) are thrown. */
  async exists(path: string, options: RequestOptions = {}): Promise<boolean> {
    return (await this.#stat(path, options)) !== undefined;
  }

  /** True when `path` is a directory; false when it is something else or absent. */
  async isDir(path: string, options: RequestOptions = {}): Promise<boolean> {
    return (await this.#stat(path, options))?.type === 'directory';
  }

  async #stat(path: string, options: RequestOptions): Promise<FileInfo | undefined> {
    try {
      const [info] = await (await this.pebble()).listFiles(path, { ...options, itself: true });
      return info;
    } catch (err) {
      if ((err instanceof PathError || err instanceof APIError) && err.kind === 'not-found')
        return undefined;
      throw err;
    }
  }

  // ------------------------------------------------------------ exec

  /**
   * Runs a command to completion and returns its output. Throws Pebble's `ExecError` (with the
   * exit code and the output) on a non-zero exit, `TimeoutError` past `timeoutMs`.
   */
  async exec(
    command: readonly string[],
    options: ContainerExecOptions = {},
  ): Promise<{ stdout: string; stderr: string }> {
    const process = await (await this.pebble()).exec(command, options);
    return process.waitOutput();
  }
}
