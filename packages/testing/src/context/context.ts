/**
 * `Context`: runs one event of a charm against a State and returns the State after it, using
 * the real dispatcher of @charm-ts/ops with in-memory hook tools and in-memory Pebbles.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenResults, type RunningAction } from '@charm-ts/juju-model';
import {
  type CharmClass,
  type CharmMeta,
  type CharmRuntimeMeta,
  type DispatchControl,
  dispatch,
  type LogLevel,
  loadCharmcraft,
  STATE_KEY,
} from '@charm-ts/ops';
import { checkActionParams } from '@charm-ts/ops/metadata';
import { UncaughtCharmError } from '../errors.ts';
import { MemoryHookTools } from '../hook-tools/memory-hook-tools.ts';
import type { HookToolCall, World } from '../hook-tools/world.ts';
import type { ExecRecord, MemoryPebble } from '../pebble/memory-pebble.ts';
import { deepFreeze } from '../state/builders.ts';
import type { OutputState, State, StatusValue } from '../state/types.ts';
import { checkConsistency } from './consistency.ts';
import { buildPebble, readContainer, unreachablePebble } from './containers.ts';
import { customEventData } from './custom-event.ts';
import { EventFactories, type EventSpec } from './events.ts';
import { Manager } from './manager.ts';
import { buildWorld } from './world-build.ts';
import { commitWorld } from './world-commit.ts';

/** The Juju version a Context runs unless told (`ContextOptions.jujuVersion`). */
const DEFAULT_JUJU_VERSION = '3.6.4';

/** Options for {@link Context}. */
export interface ContextOptions {
  /** Optional: the charm's metadata. Default: `charmcraft.yaml` of `charmDir`. */
  meta?: CharmMeta | CharmRuntimeMeta;
  /**
   * Optional: the charm's directory (holding charmcraft.yaml). Default: the nearest directory
   * holding one, upwards from the file that created the Context.
   */
  charmDir?: string;
  /** Optional: the application name. Default: the charm's name. */
  appName?: string;
  /** Optional: this unit's number. Default 0. */
  unitId?: number;
  /** Optional: the Juju version the charm sees. Default `3.6.4`. */
  jujuVersion?: string;
  /** Optional: whether the app is trusted (`credential-get` works). Default false. */
  appTrusted?: boolean;
}

/** What an action run produced. */
export interface ActionOutput {
  readonly results: Readonly<Record<string, string>>;
  readonly logs: readonly string[];
  /** The `fail()` message, when the action failed. */
  readonly failure: string | undefined;
}

/** The nearest directory holding charmcraft.yaml, upwards from the caller's source file. */
function findCharmDir(stack: string | undefined): string | undefined {
  const self = fileURLToPath(import.meta.url);
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?$/.exec(line.trim());
    const file = match?.[1]?.startsWith('file://') ? fileURLToPath(match[1]) : match?.[1];
    if (!file || file === self || file.includes('/node_modules/')) continue;
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'charmcraft.yaml'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/**
 * A charm under test.
 *
 * @example
 * const ctx = new Context(SnappassCharm);
 * const out = await ctx.run(ctx.on.configChanged(), state({ leader: true }));
 * expect(out.unitStatus).toEqual(status.active());
 */
export class Context<C extends CharmClass = CharmClass> {
  /** Event factories: `ctx.on.configChanged()`, `ctx.on.relationChanged(rel)`, `ctx.on.action('x')`. */
  readonly on: EventFactories;
  /** The `juju-log` lines of the last run. */
  jujuLog: Array<{ level: LogLevel; message: string }> = [];
  /** Unit statuses set during the last run, in order. */
  unitStatusHistory: StatusValue[] = [];
  /** Application statuses set during the last run, in order. */
  appStatusHistory: StatusValue[] = [];
  /** Workload versions set during the last run. */
  workloadVersionHistory: string[] = [];
  /** Every hook-tool call of the last run. */
  hookToolCalls: HookToolCall[] = [];
  /** Commands run in each container during the last run. */
  execHistory: Record<string, ExecRecord[]> = {};
  /** Secret revisions removed during the last run. */
  removedSecretRevisions: Array<{ id: string; revision: number }> = [];
  /** The last action's results, logs and failure; undefined after a hook. */
  action: ActionOutput | undefined;
  readonly #charm: C;
  readonly #options: ContextOptions;
  readonly #charmDir: string | undefined;
  #meta: Promise<CharmMeta | CharmRuntimeMeta> | undefined;

  constructor(charm: C, options: ContextOptions = {}) {
    this.#charm = charm;
    this.#options = options;
    this.#charmDir =
      options.charmDir ?? (options.meta ? undefined : findCharmDir(new Error().stack));
    if (options.meta) this.#meta = Promise.resolve(options.meta);
    this.on = new EventFactories(() => this.#appName ?? options.appName ?? 'app');
  }

  #appName: string | undefined;

  /** The metadata in use (loads charmcraft.yaml on first use). Throws CharmcraftError. */
  meta(): Promise<CharmMeta | CharmRuntimeMeta> {
    if (!this.#meta) {
      if (!this.#charmDir) {
        return Promise.reject(
          new Error(
            'cannot find charmcraft.yaml above the test file: pass { charmDir } or { meta } to Context',
          ),
        );
      }
      this.#meta = loadCharmcraft(this.#charmDir);
    }
    return this.#meta;
  }

  /**
   * Runs `event` against `state` and returns the state after it. Throws InconsistentStateError
   * for an impossible input, UncaughtCharmError when the charm throws (nothing is committed,
   * as in Juju).
   */
  run(event: EventSpec, state: State): Promise<OutputState> {
    return this.#run(event, state, undefined);
  }

  /**
   * Runs `event` against `state` as `run` does, stopping within it for `inspect`: first once
   * the charm is constructed (`manager.charm`, `manager.storedState`), then, after
   * `await manager.emit()`, before the state is saved; when `inspect` returns, the run
   * finishes. Returns the State after it; throws as `run` does, or what `inspect` throws.
   *
   * @example
   * const out = await ctx.manager(ctx.on.relationChanged(rel), state, async (manager) => {
   *   expect(manager.charm.ingress.url).toBeNull();
   *   await manager.emit();
   *   expect(manager.charm.ingress.url).toBe('http://gw/app');
   * });
   */
  async manager(
    event: EventSpec,
    state: State,
    inspect: (manager: Manager<InstanceType<C>>) => void | Promise<void>,
  ): Promise<OutputState> {
    const manager = new Manager<InstanceType<C>>((control) => this.#run(event, state, control));
    try {
      await manager.started();
      await inspect(manager);
    } catch (error) {
      await manager.finish().catch(() => undefined);
      throw error;
    }
    return manager.finish();
  }

  async #run(
    event: EventSpec,
    state: State,
    control: DispatchControl | undefined,
  ): Promise<OutputState> {
    const meta = await this.meta();
    this.#appName = this.#options.appName ?? meta.name;
    checkConsistency(meta, state, event, this.#options.jujuVersion ?? DEFAULT_JUJU_VERSION);
    const libraryEvent = event.library
      ? { event: event.library.event, data: customEventData(event.library, state) }
      : undefined;
    const unitName = `${this.#appName}/${this.#options.unitId ?? 0}`;
    const action: RunningAction | undefined = event.path.startsWith('actions/')
      ? { name: event.path.slice(8), params: withDefaults(meta, event), results: {}, log: [] }
      : undefined;
    const world: World = buildWorld({
      meta,
      state,
      event,
      unitName,
      appName: this.#appName,
      trusted: this.#options.appTrusted ?? false,
      action,
    });
    const pebbles = new Map<string, MemoryPebble>();
    for (const container of state.containers)
      pebbles.set(container.name, await buildPebble(container));
    const env = await this.#env(meta, state, event, unitName, pebbles);
    const result = await dispatch({
      charm: this.#charm,
      env,
      tools: new MemoryHookTools(world),
      pebble: (name) => pebbles.get(name) ?? unreachablePebble(name),
      meta,
      ...(control || libraryEvent
        ? { control: { ...control, ...(libraryEvent && { libraryEvent }) } }
        : {}),
    });
    this.#record(world, pebbles);
    if (result.exitCode !== 0) {
      for (const pebble of pebbles.values()) pebble.close();
      throw new UncaughtCharmError(event.path, result.error);
    }
    const containers = [];
    for (const container of state.containers) {
      containers.push(await readContainer(container, pebbles.get(container.name) as MemoryPebble));
    }
    return deepFreeze({ ...commitWorld(world, state, meta), containers });
  }

  async #env(
    meta: CharmRuntimeMeta,
    state: State,
    event: EventSpec,
    unitName: string,
    pebbles: Map<string, MemoryPebble>,
  ): Promise<Record<string, string>> {
    const env: Record<string, string> = {
      JUJU_DISPATCH_PATH: event.path,
      JUJU_HOOK_NAME: event.path.startsWith('hooks/') ? event.path.slice(6) : '',
      JUJU_UNIT_NAME: unitName,
      JUJU_MODEL_NAME: state.model.name,
      JUJU_MODEL_UUID: state.model.uuid,
      JUJU_VERSION: this.#options.jujuVersion ?? DEFAULT_JUJU_VERSION,
      JUJU_CHARM_DIR:
        this.#charmDir ?? `/var/lib/juju/agents/unit-${unitName.replace('/', '-')}/charm`,
      ...event.env,
    };
    const pebble = event.container ? pebbles.get(event.container) : undefined;
    if (pebble && event.notice) {
      const id = await pebble.notify(
        event.notice.key,
        event.notice.data ? { data: { ...event.notice.data } } : {},
      );
      Object.assign(env, {
        JUJU_NOTICE_ID: id,
        JUJU_NOTICE_TYPE: 'custom',
        JUJU_NOTICE_KEY: event.notice.key,
      });
    }
    if (pebble && event.check) {
      if (event.check.failing) pebble.failCheck(event.check.name);
      else {
        pebble.setCheckResult(event.check.name, undefined);
        pebble.runCheck(event.check.name);
      }
    }
    void meta;
    return env;
  }

  #record(world: World, pebbles: Map<string, MemoryPebble>): void {
    this.jujuLog = world.logs;
    this.unitStatusHistory = world.unitStatusHistory;
    this.appStatusHistory = world.appStatusHistory;
    this.workloadVersionHistory = world.workloadVersionHistory;
    this.hookToolCalls = world.calls;
    this.removedSecretRevisions = [...world.context.draft.removedRevisions];
    this.execHistory = Object.fromEntries([...pebbles].map(([name, p]) => [name, p.execHistory]));
    this.action = world.action
      ? {
          results: flattenResults(world.action.results),
          logs: world.action.log,
          failure: world.action.failure,
        }
      : undefined;
  }
}

/** An action's params with the defaults of its schema applied, as `action-get` returns them. */
function withDefaults(meta: CharmRuntimeMeta, event: EventSpec): Record<string, unknown> {
  const action = meta.actions[event.path.slice(8)] ?? {};
  // The consistency check has refused params Juju would refuse: only the defaults are added.
  const checked = checkActionParams(action, event.params ?? {});
  return 'params' in checked ? checked.params : structuredClone({ ...event.params });
}

export { STATE_KEY };
