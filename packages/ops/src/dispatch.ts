/**
 * `dispatch`: one hook, from environment to committed state. Order: load state → re-emit
 * deferred events → the event → collect-status → commit. `main` runs it for real; the testing
 * library runs it with in-memory tools and Pebble.
 * @module
 */
import { join } from 'node:path';
import type { Pebble } from '@charm-ts/pebble';
import type { CharmClass, Observer } from './charm.ts';
import { Framework } from './charm.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { FrameworkError, InvalidConfigError, RelationNotFoundError } from './errors.ts';
import { type CharmEvent, classifyHook, NOT_DEFERRABLE } from './events.ts';
import type { HookTools } from './hook-tools/types.ts';
import { buildPayload, EVENT_VARS, type EventPayload } from './internal/build-event.ts';
import { type PebbleFactory, Runtime } from './internal/runtime.ts';
import { mapStack } from './internal/stack.ts';
import { type JujuContext, readJujuContext } from './juju-context.ts';
import { modelBackend } from './model/backend.ts';
import { Model } from './model/model.ts';
import {
  type DeferredEvent,
  emptyState,
  type PersistedState,
  parseState,
  STATE_KEY,
  serializeState,
} from './state.ts';
import { highestStatus, Status } from './status.ts';

/** Where workload containers' Pebble sockets live, unless `CHARM_TS_CONTAINERS_DIR` says otherwise. */
export const DEFAULT_CONTAINERS_DIR = '/charm/containers';

/** What `dispatch` needs. */
export interface DispatchOptions {
  /** The charm class. */
  charm: CharmClass;
  /** The hook environment (`process.env` for real). */
  env: Readonly<Record<string, string | undefined>>;
  /** The hook tools (`processHookTools()` for real). */
  tools: HookTools;
  /**
   * Optional: the Pebble client of a container. Default: a `PebbleClient` on
   * `<CHARM_TS_CONTAINERS_DIR or /charm/containers>/<name>/pebble.socket`, loaded on first use.
   */
  pebble?: (container: string) => Pebble;
  /** Optional: the charm's metadata (typegen's `meta`, or a parsed `CharmMeta`); enables config checks. */
  meta?: CharmRuntimeMeta;
}

/** How a dispatch ended. */
export interface DispatchResult {
  /** 0 on success (also when invalid config became a blocked status); 1 when Juju should retry. */
  exitCode: 0 | 1;
  /** The uncaught error, when `exitCode` is 1. Nothing was committed then. */
  error?: unknown;
}

/** The default Pebble factory: imports @charm-ts/pebble (and undici) only when a container is used. */
export function defaultPebbleFactory(
  env: Readonly<Record<string, string | undefined>>,
): PebbleFactory {
  const base = env.CHARM_TS_CONTAINERS_DIR || DEFAULT_CONTAINERS_DIR;
  return async (name) => {
    const { PebbleClient } = await loadPebble();
    return new PebbleClient({ socketPath: join(base, name, 'pebble.socket') });
  };
}

/**
 * Loads @charm-ts/pebble on first use. In a CommonJS bundle `require` is used: when the packer
 * keeps the client in a file of its own, `import()` would start Node's ESM loader (and scan the
 * whole file for exports) on every dispatch that touches a container. Where `require` cannot
 * load it (the TypeScript sources under a test runner), `import()` does.
 */
async function loadPebble(): Promise<typeof import('@charm-ts/pebble')> {
  limitWasmTiering();
  if (typeof require === 'function') {
    try {
      return require('@charm-ts/pebble');
    } catch {
      // Fall through to import().
    }
  }
  return import('@charm-ts/pebble');
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 re-compiles it in the background
 * with its optimising tier, and Node waits for that job before the process can exit: 50-100 ms
 * added to every hook that talks to Pebble, for code that runs a handful of times. A hook process
 * is short-lived, so the baseline WebAssembly tier is kept. `getBuiltinModule`, not `import()`:
 * in a CommonJS bundle `import()` would start Node's ESM loader (~5 ms of CPU, bench/dispatch).
 */
function limitWasmTiering(): void {
  process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
}

/**
 * Runs one dispatch and never throws: failures come back as `{ exitCode: 1, error }`, after
 * logging the error (with its stack) through `juju-log`. An `InvalidConfigError` escaping the
 * charm becomes a `blocked` status naming the key, with exit code 0.
 */
export async function dispatch(options: DispatchOptions): Promise<DispatchResult> {
  let ctx: JujuContext;
  try {
    ctx = readJujuContext(options.env);
  } catch (error) {
    return { exitCode: 1, error };
  }
  const tools = modelBackend(options.tools, ctx.version);
  let raw: string | undefined;
  try {
    raw = await tools.stateGet(STATE_KEY);
    const state = parseState(raw);
    const pebble = options.pebble ?? defaultPebbleFactory(ctx.env);
    const rt = new Runtime(ctx, tools, options.meta, pebble, state);
    await run(rt, options.charm);
    await commit(rt, raw, state);
    return { exitCode: 0 };
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      try {
        await blockOnConfig(tools, raw, error);
        return { exitCode: 0 };
      } catch (inner) {
        return fail(tools, inner);
      }
    }
    return fail(tools, error);
  }
}

async function run(rt: Runtime, charmClass: CharmClass): Promise<void> {
  const fw = new Framework(rt);
  const charm = new charmClass(fw);
  const model = (charm as { model?: Model }).model ?? new Model(rt);
  const ctx = rt.ctx;
  const queue = rt.state.deferred;
  rt.state.deferred = [];
  const restricted = ctx.hookName === 'collect-metrics' || ctx.hookName === 'meter-status-changed';

  const observersOf = (key: string): Observer[] => {
    const list = [...(fw.registry.get(key) ?? [])];
    if (charm.reconcile && key.startsWith('hooks/')) {
      const reconcile = charm.reconcile.bind(charm);
      list.push({ id: 'reconcile', handler: reconcile as Observer['handler'] });
    }
    return list;
  };

  const emit = async (
    hook: string,
    env: Record<string, string | undefined>,
    only: string | undefined,
    redelivered: boolean,
  ) => {
    const name = hook.slice(hook.indexOf('/') + 1);
    const kind = classifyHook(name, hook.startsWith('actions/'));
    // A hook this runtime does not know (a newer Juju's) is ignored, as ops does.
    if (kind.kind === 'unknown') return;
    const observers = observersOf(hook).filter((o) => only === undefined || o.id === only);
    if (observers.length === 0) return;
    const payload = await buildPayload(rt, model as Model, name, kind, env);
    const snapshot = Object.fromEntries(
      EVENT_VARS.filter((v) => env[v] !== undefined).map((v) => [v, env[v] as string]),
    );
    for (const observer of observers) {
      await observer.handler(
        makeEvent(payload, redelivered, () =>
          deferEvent(rt.state.deferred, hook, observer.id, snapshot, payload),
        ) as never,
      );
    }
  };

  if (!restricted) {
    for (const d of queue) {
      try {
        await emit(d.hook, { ...withoutEventVars(ctx.env), ...d.env }, d.observer, true);
      } catch (err) {
        // The relation went away since the event was deferred: the event is moot, drop it.
        if (!(err instanceof RelationNotFoundError)) throw err;
      }
    }
  } else {
    rt.state.deferred = queue;
  }
  await emit(
    `${ctx.isAction ? 'actions' : 'hooks'}/${ctx.hookName}`,
    { ...ctx.env },
    undefined,
    false,
  );
  await collectStatus(rt, fw);
}

function withoutEventVars(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const out = { ...env };
  for (const v of EVENT_VARS) delete out[v];
  return out;
}

function makeEvent(payload: EventPayload, redelivered: boolean, defer: () => void): CharmEvent {
  return { ...payload, redelivered, defer } as CharmEvent;
}

function deferEvent(
  queue: DeferredEvent[],
  hook: string,
  observer: string,
  env: Record<string, string>,
  payload: EventPayload,
): void {
  if (NOT_DEFERRABLE.has(payload.kind)) {
    throw new FrameworkError(
      `cannot defer ${payload.name}: Juju does not allow deferring ${payload.kind === 'action' ? 'actions' : `${payload.kind} events`}`,
    );
  }
  const entry: DeferredEvent = { hook, observer, env };
  const same = JSON.stringify(entry);
  if (!queue.some((e) => JSON.stringify(e) === same)) queue.push(entry);
}

async function collectStatus(rt: Runtime, fw: Framework): Promise<void> {
  const unitHandlers = fw.registry.get('collect-status/unit') ?? [];
  const appHandlers = fw.registry.get('collect-status/app') ?? [];
  for (const o of unitHandlers)
    await o.handler({ addStatus: (s: Status) => rt.unitStatuses.push(s) } as never);
  const unit = highestStatus(rt.unitStatuses);
  if (unit && !sameStatus(unit, rt.state.status.unit)) await rt.setStatus(unit, false);
  if ((appHandlers.length > 0 || rt.appStatuses.length > 0) && (await rt.isLeader())) {
    for (const o of appHandlers)
      await o.handler({ addStatus: (s: Status) => rt.appStatuses.push(s) } as never);
    const app = highestStatus(rt.appStatuses);
    if (app && !sameStatus(app, rt.state.status.app)) await rt.setStatus(app, true);
  }
}

function sameStatus(a: Status, b: Status | undefined): boolean {
  return b !== undefined && a.status === b.status && a.message === b.message;
}

const EMPTY = serializeState(emptyState());

async function commit(rt: Runtime, raw: string | undefined, state: PersistedState): Promise<void> {
  const text = serializeState(state);
  if (text !== (raw || EMPTY)) await rt.tools.stateSet({ [STATE_KEY]: text });
}

async function blockOnConfig(
  tools: HookTools,
  raw: string | undefined,
  error: InvalidConfigError,
): Promise<void> {
  // Nothing the handlers did is kept: only the status record changes.
  const state = parseState(raw);
  const status = Status.blocked(error.message);
  if (!sameStatus(status, state.status.unit)) {
    await tools.statusSet(status.status, status.message, false);
    state.status.unit = status;
    const text = serializeState(state);
    if (text !== (raw || EMPTY)) await tools.stateSet({ [STATE_KEY]: text });
  }
}

async function fail(tools: HookTools, error: unknown): Promise<DispatchResult> {
  const text = describeError(error);
  try {
    await tools.jujuLog('ERROR', `Uncaught error in charm code: ${text}`);
  } catch {
    // Logging must not hide the original failure.
  }
  return { exitCode: 1, error };
}

/** The error with its stack, frames of a bundled charm mapped back to TypeScript. */
export function describeError(error: unknown): string {
  return error instanceof Error ? mapStack(error.stack ?? String(error)) : String(error);
}
