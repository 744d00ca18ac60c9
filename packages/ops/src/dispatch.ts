/**
 * `dispatch`: one hook, from environment to committed state. Order: load state → re-emit
 * deferred events → the event (its observers, library events they emit, then `reconcile()`) →
 * collect-status → pre-commit → save state → commit → send the log lines. `main` runs it for
 * real; the testing library runs it with in-memory tools and Pebble.
 * @module
 */
import type { Pebble } from '@charm-ts/pebble';
import type { CharmClass } from './charm.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { InvalidConfigError } from './errors.ts';
import type { CommitEvent } from './events.ts';
import { Framework } from './framework.ts';
import type { HookTools } from './hook-tools/types.ts';
import { defaultPebbleFactory } from './internal/load-pebble.ts';
import { Runtime } from './internal/runtime.ts';
import { mapStack } from './internal/stack.ts';
import { type JujuContext, readJujuContext } from './juju-context.ts';
import { Logger, type LogSink } from './logger.ts';
import { modelBackend } from './model/backend.ts';
import {
  type DeferredEvent,
  emptyState,
  type PersistedState,
  parseState,
  STATE_KEY,
  serializeState,
} from './state.ts';
import { highestStatus, Status } from './status.ts';

export { DEFAULT_CONTAINERS_DIR } from './internal/load-pebble.ts';

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
  /** Optional, for test harnesses (@charm-ts/testing): stops within the dispatch, custom events. */
  control?: DispatchControl;
}

/** Where a {@link DispatchControl} stopped the dispatch, and what a test can look at there. */
export interface DispatchStop {
  /** The charm instance. */
  readonly charm: object;
  /** The charm's stored state (its libraries' under their namespaces), as it would be saved now. */
  readonly storedState: Readonly<Record<string, unknown>>;
  /** The deferred events queued so far (at `constructed`: those about to be re-emitted). */
  readonly deferred: readonly DeferredEvent[];
}

/**
 * For test harnesses: callbacks the dispatch awaits at two points, and a library event to emit
 * in place of the hook's. Charms never need it.
 */
export interface DispatchControl {
  /** Optional: awaited once the charm is constructed, before any event (deferred ones too). */
  constructed?(stop: DispatchStop): void | Promise<void>;
  /**
   * Optional: awaited after the events, collect-status and the pre-commit observers, before the
   * state is saved and the commit observers run.
   */
  beforeCommit?(stop: DispatchStop): void | Promise<void>;
  /**
   * Optional: a library's event (`<namespace>/<event>`) emitted to every observer of it in place
   * of the Juju event of `env` (whose observers and `reconcile()` then do not run); `data` is
   * its payload as a deferred event keeps it (`Relation`s and `Secret`s as references). Throws
   * `FrameworkError` when no library of the charm has that namespace.
   */
  libraryEvent?: { readonly event: string; readonly data: Readonly<Record<string, unknown>> };
}

/** How a dispatch ended. */
export interface DispatchResult {
  /** 0 on success (also when invalid config became a blocked status); 1 when Juju should retry. */
  exitCode: 0 | 1;
  /** The uncaught error, when `exitCode` is 1. Nothing was committed then. */
  error?: unknown;
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
  const logger = new Logger(logSink(tools));
  let raw: string | undefined;
  try {
    raw = await tools.stateGet(STATE_KEY);
    const state = parseState(raw);
    const pebble = options.pebble ?? defaultPebbleFactory(ctx.env);
    const rt = new Runtime(ctx, tools, options.meta, pebble, state, logger);
    await run(rt, options.charm, raw, options.control);
    await logger.flush();
    return { exitCode: 0 };
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      try {
        await blockOnConfig(tools, raw, error);
        await logger.flush();
        return { exitCode: 0 };
      } catch (inner) {
        return fail(logger, inner);
      }
    }
    return fail(logger, error);
  }
}

/** `juju-log` for the logger: in batches when the tools can, else one call per line. */
function logSink(tools: HookTools): LogSink {
  return async (lines) => {
    if (tools.jujuLogLines) return tools.jujuLogLines(lines);
    for (const line of lines) await tools.jujuLog(line.level, line.message);
  };
}

async function run(
  rt: Runtime,
  charmClass: CharmClass,
  raw: string | undefined,
  control: DispatchControl | undefined,
): Promise<void> {
  const fw = new Framework(rt);
  const charm = new charmClass(fw);
  const emitter = fw.emitter;
  emitter.setCharm(charm);
  const stop = (): DispatchStop => ({
    charm,
    storedState: rt.state.stored,
    deferred: rt.state.deferred,
  });
  await control?.constructed?.(stop());
  const ctx = rt.ctx;
  const queue = rt.state.deferred;
  rt.state.deferred = [];
  const restricted = ctx.hookName === 'collect-metrics' || ctx.hookName === 'meter-status-changed';
  if (restricted) rt.state.deferred = queue;
  else await emitter.reemit(queue);
  if (control?.libraryEvent) {
    await emitter.emitLibrarySnapshot(control.libraryEvent.event, control.libraryEvent.data);
  } else {
    await emitter.emitHook(`${ctx.isAction ? 'actions' : 'hooks'}/${ctx.hookName}`, ctx.env);
  }
  await collectStatus(rt, fw);
  await emitter.emitFramework('framework/pre-commit', { name: 'pre-commit' } satisfies CommitEvent);
  await control?.beforeCommit?.(stop());
  await commit(rt, raw, rt.state);
  await emitter.emitFramework('framework/commit', { name: 'commit' } satisfies CommitEvent);
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

async function fail(logger: Logger, error: unknown): Promise<DispatchResult> {
  // The lines logged before the failure go out first, then the error (never throws).
  logger.error(`Uncaught error in charm code: ${describeError(error)}`);
  await logger.flush();
  return { exitCode: 1, error };
}

/** The error with its stack, frames of a bundled charm mapped back to TypeScript. */
export function describeError(error: unknown): string {
  return error instanceof Error ? mapStack(error.stack ?? String(error)) : String(error);
}
