/**
 * `Container`: a workload container's Pebble, with the operations charms reach for. The Pebble
 * client (and undici under it) is only loaded when a container is first used.
 * @module
 */
import type { ExecOptions, Layer, Pebble, PushOptions, Service } from '@charm-ts/pebble';
import type { PebbleFactory } from './internal/runtime.ts';

/** Options of `Container.exec`. */
export type ContainerExecOptions = Omit<
  ExecOptions,
  'interactive' | 'terminal' | 'width' | 'height'
>;

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

  /**
   * Adds (merging into) the layer `label` and replans, so Pebble restarts only the services whose
   * definition changed and starts enabled ones that are not running. Returns the names of the
   * services whose definition changed. Throws Pebble's `ConnectionError`, `APIError`,
   * `ChangeError` or `LayerValidationError`.
   */
  async applyLayer(label: string, layer: Layer): Promise<string[]> {
    const pebble = await this.pebble();
    const before = (await pebble.getPlan()).services ?? {};
    await pebble.addLayer(label, layer, { combine: true });
    const after = (await pebble.getPlan()).services ?? {};
    const changed = Object.keys(after).filter((name) => !sameService(before[name], after[name]));
    await pebble.replanServices();
    return changed.sort();
  }

  /** Adds the layer `label`, merged into an existing one of that label (Pebble's `combine`). */
  async addLayer(label: string, layer: Layer): Promise<void> {
    await (await this.pebble()).addLayer(label, layer, { combine: true });
  }

  /** Restarts services whose definition changed and starts enabled ones; waits for the change. */
  async replan(): Promise<void> {
    await (await this.pebble()).replanServices();
  }

  /** Restarts the named services. */
  async restart(...services: string[]): Promise<void> {
    await (await this.pebble()).restartServices(services);
  }

  /** Writes text or bytes to `path` (parent directories are created). Throws `PathError`. */
  async push(
    path: string,
    data: string | Uint8Array,
    options: Omit<PushOptions, 'makeDirs'> = {},
  ): Promise<void> {
    await (await this.pebble()).push(path, data, { makeDirs: true, ...options });
  }

  /** Writes `value` as pretty JSON. Throws `PathError`. */
  pushJson(
    path: string,
    value: unknown,
    options: Omit<PushOptions, 'makeDirs'> = {},
  ): Promise<void> {
    return this.push(path, `${JSON.stringify(value, null, 2)}\n`, options);
  }

  /** Reads a file as UTF-8 text. Throws `PathError` (kind `not-found` when absent). */
  async pullText(path: string): Promise<string> {
    const stream = await (await this.pebble()).pull(path);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Reads and parses a JSON file. Throws `PathError`, or `SyntaxError` for bad JSON. */
  async pullJson<T = unknown>(path: string): Promise<T> {
    return JSON.parse(await this.pullText(path)) as T;
  }

  /** True when `path` exists; other errors (no connection, permission) are thrown. */
  async exists(path: string): Promise<boolean> {
    try {
      await (await this.pebble()).listFiles(path, { itself: true });
      return true;
    } catch (err) {
      if ((err as { kind?: string }).kind === 'not-found') return false;
      throw err;
    }
  }

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

function sameService(a: Service | undefined, b: Service | undefined): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
