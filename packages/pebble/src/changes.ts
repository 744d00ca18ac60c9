/**
 * Changes: list, get, wait, abort. The wire → `Change` conversion lives here, in one place,
 * and tolerates fields an older daemon leaves out.
 * @module
 */
import { APIError, NotSupportedError, ProtocolError, TimeoutError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import { msToGoDuration, parseTime, sleep } from './internal/time.ts';
import type {
  Change,
  ListChangesOptions,
  RequestOptions,
  Task,
  WaitChangeOptions,
} from './types.ts';

/** How long one `/wait` request asks the server to block; the loop repeats until the deadline. */
const serverWaitMs = 10_000;
/** Headroom above the server's wait before the client gives up on the response headers. */
const headersSlackMs = 5_000;
const changeIdRe = /^[a-z0-9]+$/;

interface TaskWire {
  id?: string;
  kind?: string;
  summary?: string;
  status?: string;
  log?: string[] | null;
  progress?: { label?: string; done?: number; total?: number } | null;
  'spawn-time'?: string;
  'ready-time'?: string;
  data?: Record<string, unknown> | null;
}

/** A change as Pebble writes it (`changeInfo`); every field may be missing from an older daemon. */
export interface ChangeWire {
  id?: string;
  kind?: string;
  summary?: string;
  status?: string;
  ready?: boolean;
  err?: string;
  'spawn-time'?: string;
  'ready-time'?: string;
  tasks?: TaskWire[] | null;
  data?: Record<string, unknown> | null;
}

const readyStatuses = new Set(['Done', 'Undone', 'Hold', 'Error']);

function toTask(wire: TaskWire): Task {
  const task: Task = {
    id: wire.id ?? '',
    kind: wire.kind ?? '',
    summary: wire.summary ?? '',
    status: wire.status ?? 'Default',
    log: Array.isArray(wire.log) ? wire.log : [],
    progress: {
      label: wire.progress?.label ?? '',
      done: wire.progress?.done ?? 0,
      total: wire.progress?.total ?? 0,
    },
    spawnTime: parseTime(wire['spawn-time']) ?? new Date(0),
    data: wire.data ?? {},
  };
  const readyTime = parseTime(wire['ready-time']);
  if (readyTime) task.readyTime = readyTime;
  return task;
}

/**
 * Converts Pebble's change JSON into a `Change`. Missing fields get neutral values; `ready`
 * falls back to the status when an old daemon omits it.
 * @throws ProtocolError when the value is not an object with an id.
 */
export function toChange(value: unknown): Change {
  if (typeof value !== 'object' || value === null || typeof (value as ChangeWire).id !== 'string') {
    throw new ProtocolError('cannot read change: the answer is not a change object with an id');
  }
  const wire = value as ChangeWire;
  const status = wire.status ?? 'Default';
  const change: Change = {
    id: wire.id as string,
    kind: wire.kind ?? '',
    summary: wire.summary ?? '',
    status,
    ready: typeof wire.ready === 'boolean' ? wire.ready : readyStatuses.has(status),
    spawnTime: parseTime(wire['spawn-time']) ?? new Date(0),
    tasks: Array.isArray(wire.tasks) ? wire.tasks.map(toTask) : [],
    data: wire.data ?? {},
  };
  if (wire.err) change.err = wire.err;
  const readyTime = parseTime(wire['ready-time']);
  if (readyTime) change.readyTime = readyTime;
  return change;
}

/**
 * Checks a change id before it goes into a URL path.
 * @throws TypeError naming the id when it is not `^[a-z0-9]+$`.
 */
export function checkChangeId(changeId: string): void {
  if (!changeIdRe.test(changeId)) {
    throw new TypeError(
      `invalid change id ${JSON.stringify(changeId)}: Pebble change ids match ^[a-z0-9]+$`,
    );
  }
}

/**
 * `GET /v1/changes`: changes in progress (default), ready, or all; optionally for one service.
 * @throws APIError, ConnectionError.
 */
export async function listChanges(
  rq: Requester,
  options: ListChangesOptions = {},
): Promise<Change[]> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/changes',
    query: { select: options.select, for: options.service },
    signal: options.signal,
  });
  return Array.isArray(result) ? result.map(toChange) : [];
}

/**
 * `GET /v1/changes/{id}`.
 * @throws TypeError for a malformed id; APIError (404) for an unknown change; ConnectionError.
 */
export async function getChange(
  rq: Requester,
  changeId: string,
  options: RequestOptions = {},
): Promise<Change> {
  checkChangeId(changeId);
  const { result } = await rq.sync({
    method: 'GET',
    path: `/v1/changes/${changeId}`,
    signal: options.signal,
  });
  return toChange(result);
}

/**
 * Waits until a change is ready, looping on `/v1/changes/{id}/wait` (a 504 from the server
 * means "not yet"). Returns the change whatever its status; callers that want an error for a
 * failed change check `change.err` (the service actions do).
 * @throws TimeoutError past `timeoutMs` (default 30 s); the signal's reason when it aborts;
 *   TypeError for a malformed id; APIError (404) for an unknown change; ConnectionError.
 */
export async function waitChange(
  rq: Requester,
  changeId: string,
  options: WaitChangeOptions = {},
): Promise<Change> {
  checkChangeId(changeId);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new TimeoutError(`timed out after ${timeoutMs} ms waiting for change ${changeId}`);
    }
    const waitMs = Math.min(remaining, serverWaitMs);
    try {
      const { result } = await rq.sync({
        method: 'GET',
        path: `/v1/changes/${changeId}/wait`,
        query: { timeout: msToGoDuration(waitMs) },
        signal: options.signal,
        headersTimeoutMs: waitMs + headersSlackMs,
      });
      return toChange(result);
    } catch (error) {
      if (error instanceof NotSupportedError) {
        return pollChange(rq, changeId, deadline, timeoutMs, options.signal);
      }
      if (!(error instanceof APIError) || error.status !== 504) throw error;
    }
  }
}

/** The fallback for a daemon without `/wait`: poll `GET /v1/changes/{id}`. */
async function pollChange(
  rq: Requester,
  changeId: string,
  deadline: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Change> {
  for (;;) {
    const change = await getChange(rq, changeId, { signal });
    if (change.ready) return change;
    if (Date.now() + 100 > deadline) {
      throw new TimeoutError(`timed out after ${timeoutMs} ms waiting for change ${changeId}`);
    }
    await sleep(100, signal);
  }
}

/**
 * `POST /v1/changes/{id}` with `{"action": "abort"}`; returns the change as Pebble left it.
 * @throws TypeError for a malformed id; APIError (400 when nothing is pending, 404 unknown);
 *   ConnectionError.
 */
export async function abortChange(
  rq: Requester,
  changeId: string,
  options: RequestOptions = {},
): Promise<Change> {
  checkChangeId(changeId);
  const { result } = await rq.sync({
    method: 'POST',
    path: `/v1/changes/${changeId}`,
    body: { action: 'abort' },
    signal: options.signal,
  });
  return toChange(result);
}
