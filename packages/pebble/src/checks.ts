/**
 * Checks: list, start, stop, refresh. Tolerates older daemons: `failures` and `successes`
 * missing (→ 0), `changed: null` (→ []), no `/v1/checks/refresh` (→ NotSupportedError).
 * @module
 */
import { ProtocolError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import type {
  CheckInfo,
  CheckLevel,
  ListChecksOptions,
  RefreshCheckResult,
  RequestOptions,
  Startup,
} from './types.ts';

interface CheckWire {
  name?: string;
  level?: string;
  startup?: string;
  status?: string;
  successes?: number;
  failures?: number;
  threshold?: number;
  'change-id'?: string;
  'prev-change-id'?: string;
}

/** Converts one entry of `GET /v1/checks` (Pebble omits `failures` when it is 0). */
export function toCheckInfo(wire: CheckWire): CheckInfo {
  if (typeof wire.name !== 'string') {
    throw new ProtocolError('cannot read checks: an entry has no name');
  }
  const info: CheckInfo = {
    name: wire.name,
    startup: (wire.startup || 'enabled') as Startup,
    status: wire.status ?? 'inactive',
    successes: wire.successes ?? 0,
    failures: wire.failures ?? 0,
    threshold: wire.threshold ?? 0,
  };
  if (wire.level) info.level = wire.level as CheckLevel;
  if (wire['change-id']) info.changeId = wire['change-id'];
  if (wire['prev-change-id']) info.prevChangeId = wire['prev-change-id'];
  return info;
}

/**
 * `GET /v1/checks`: all checks, or those of a level or names.
 * @throws APIError (400 for a bad level), ConnectionError.
 */
export async function listChecks(
  rq: Requester,
  options: ListChecksOptions = {},
): Promise<CheckInfo[]> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/checks',
    query: { level: options.level, names: options.names?.length ? options.names : undefined },
    signal: options.signal,
  });
  return Array.isArray(result) ? result.map(toCheckInfo) : [];
}

async function checksAction(
  rq: Requester,
  action: 'start' | 'stop',
  names: readonly string[],
  options: RequestOptions,
): Promise<string[]> {
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/checks',
    body: { action, checks: names },
    signal: options.signal,
  });
  // Older Pebbles answer `changed: null` when nothing changed (pebble#788).
  const changed = (result as { changed?: unknown } | null)?.changed;
  return Array.isArray(changed) ? (changed as string[]) : [];
}

/**
 * Starts stopped checks; returns the names that were actually started.
 * @throws APIError (400 for an unknown check), NotSupportedError (Pebble < 1.19), ConnectionError.
 */
export function startChecks(
  rq: Requester,
  names: readonly string[],
  options: RequestOptions = {},
): Promise<string[]> {
  return checksAction(rq, 'start', names, options);
}

/**
 * Stops running checks; returns the names that were actually stopped.
 * @throws APIError (400 for an unknown check), NotSupportedError (Pebble < 1.19), ConnectionError.
 */
export function stopChecks(
  rq: Requester,
  names: readonly string[],
  options: RequestOptions = {},
): Promise<string[]> {
  return checksAction(rq, 'stop', names, options);
}

/**
 * Runs a check now and returns its state and, if the run failed, its error.
 * @throws NotSupportedError on Pebble < 1.20; APIError (404 for an unknown check);
 *   ConnectionError.
 */
export async function refreshCheck(
  rq: Requester,
  name: string,
  options: RequestOptions = {},
): Promise<RefreshCheckResult> {
  // Pebble < 1.20 has no such route: the requester turns its 404 into NotSupportedError.
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/checks/refresh',
    body: { name },
    signal: options.signal,
  });
  const wire = (result ?? {}) as { info?: CheckWire; error?: string };
  if (!wire.info) throw new ProtocolError('cannot refresh check: no "info" in the answer');
  const out: RefreshCheckResult = { info: toCheckInfo(wire.info) };
  if (wire.error) out.error = wire.error;
  return out;
}
