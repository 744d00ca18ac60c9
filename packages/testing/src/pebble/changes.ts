/**
 * Changes and tasks as Pebble's state engine shows them: sequential ids (one counter for
 * changes, one for tasks), `Doing` until ready, `err` built from the tasks' ERROR log lines.
 * @module
 */

import type { Change, ChangeStatus, ListChangesOptions, Task } from '@charm-ts/pebble';
import { APIError, TimeoutError } from '@charm-ts/pebble';

/** One task to create inside a change. */
export interface TaskSpec {
  kind: string;
  summary: string;
}

const readyStatuses = new Set<ChangeStatus>(['Done', 'Undone', 'Hold', 'Error']);

/** Pebble's task log line: `<RFC3339 seconds> <LEVEL> <message>`. */
export function logLine(at: Date, level: 'INFO' | 'ERROR', message: string): string {
  return `${at.toISOString().replace(/\.\d{3}Z$/, 'Z')} ${level} ${message}`;
}

/** The change and task store of one in-memory Pebble. */
export class ChangeStore {
  readonly #changes = new Map<string, Change>();
  readonly #waiters = new Map<string, Array<() => void>>();
  readonly #serviceNames = new Map<string, readonly string[]>();
  readonly #aborters = new Map<string, () => void>();
  readonly #now: () => Date;
  readonly #onUpdate: (change: Change) => void;
  #lastChange = 0;
  #lastTask = 0;

  /** `onUpdate` runs when a change is spawned and each time its status changes. */
  constructor(now: () => Date, onUpdate: (change: Change) => void) {
    this.#now = now;
    this.#onUpdate = onUpdate;
  }

  /**
   * Creates a change in `Doing` with its tasks in `Do` (already `Done` without tasks).
   * `serviceNames` is what `listChanges({ service })` filters on.
   */
  create(
    kind: string,
    summary: string,
    tasks: readonly TaskSpec[],
    serviceNames: readonly string[] = [],
  ): Change {
    const now = this.#now();
    const change: Change = {
      id: String(++this.#lastChange),
      kind,
      summary,
      status: tasks.length === 0 ? 'Done' : 'Doing',
      ready: tasks.length === 0,
      spawnTime: now,
      tasks: tasks.map((spec) => ({
        id: String(++this.#lastTask),
        kind: spec.kind,
        summary: spec.summary,
        status: 'Do',
        log: [],
        progress: { label: '', done: 1, total: 1 },
        spawnTime: now,
        data: {},
      })),
      data: {},
    };
    if (serviceNames.length > 0) this.#serviceNames.set(change.id, serviceNames);
    if (change.ready) change.readyTime = now;
    this.#changes.set(change.id, change);
    this.#onUpdate(change);
    return change;
  }

  /** Appends a log line to a task, keeping Pebble's last 10. */
  log(task: Task, level: 'INFO' | 'ERROR', message: string): void {
    task.log.push(logLine(this.#now(), level, message));
    if (task.log.length > 10) task.log.splice(0, task.log.length - 10);
  }

  /** Sets a task's status; when every task is ready the change becomes ready too. */
  finishTask(change: Change, task: Task, status: 'Done' | 'Error' | 'Hold' | 'Doing'): void {
    task.status = status;
    if (status !== 'Doing') task.readyTime = this.#now();
    this.#settle(change);
  }

  #settle(change: Change): void {
    if (change.ready) return;
    if (!change.tasks.every((task) => readyStatuses.has(task.status))) {
      const doing = change.tasks.some((task) => task.status === 'Doing');
      if (doing && change.status !== 'Doing') change.status = 'Doing';
      return;
    }
    const failed = change.tasks.some((task) => task.status === 'Error');
    change.status = failed
      ? 'Error'
      : change.tasks.some((t) => t.status === 'Hold') &&
          !change.tasks.some((t) => t.status === 'Done')
        ? 'Hold'
        : 'Done';
    if (failed) change.err = changeErr(change);
    change.ready = true;
    change.readyTime = this.#now();
    this.#aborters.delete(change.id);
    this.#onUpdate(change);
    for (const wake of this.#waiters.get(change.id) ?? []) wake();
    this.#waiters.delete(change.id);
  }

  /** Re-evaluates a change after its tasks were edited directly. */
  settle(change: Change): void {
    this.#settle(change);
  }

  /** Throws APIError 404 like Pebble for an unknown id. */
  get(changeId: string): Change {
    const change = this.#changes.get(changeId);
    if (!change) throw new APIError(404, `cannot find change with id "${changeId}"`);
    return change;
  }

  /** Pebble's `GET /v1/changes` filters (`select` defaults to in-progress). */
  list(options: ListChangesOptions = {}): Change[] {
    const select = options.select ?? 'in-progress';
    if (!['in-progress', 'ready', 'all'].includes(select)) {
      throw new APIError(400, 'select should be one of: all,in-progress,ready');
    }
    return [...this.#changes.values()].filter((change) => {
      if (select === 'in-progress' && change.ready) return false;
      if (select === 'ready' && !change.ready) return false;
      if (options.service !== undefined) {
        const names = this.#serviceNames.get(change.id) ?? [];
        if (!names.includes(options.service)) return false;
      }
      return true;
    });
  }

  /** Resolves when the change is ready; TimeoutError past `timeoutMs`. */
  async wait(changeId: string, timeoutMs: number, signal?: AbortSignal): Promise<Change> {
    const change = this.get(changeId);
    if (change.ready) return change;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new TimeoutError(`timed out waiting for change ${changeId} after ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason);
      };
      const wake = (): void => {
        cleanup();
        resolve();
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const list = this.#waiters.get(changeId);
        if (list)
          this.#waiters.set(
            changeId,
            list.filter((w) => w !== wake),
          );
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.set(changeId, [...(this.#waiters.get(changeId) ?? []), wake]);
    });
    return change;
  }

  /** Registers what aborting a change does beyond holding its unstarted tasks. */
  onAbort(changeId: string, abort: () => void): void {
    this.#aborters.set(changeId, abort);
  }

  /** Aborts a pending change: the running task stops as its kind does; unstarted tasks end in `Hold`. */
  abort(changeId: string): Change {
    const change = this.get(changeId);
    if (change.ready)
      throw new APIError(400, `cannot abort change ${changeId} with nothing pending`);
    this.#aborters.get(changeId)?.();
    for (const task of change.tasks) {
      if (!readyStatuses.has(task.status)) {
        task.status = 'Hold';
        task.readyTime = this.#now();
      }
    }
    this.#settle(change);
    return change;
  }
}

/** Pebble's `Change.Err`: one line per ERROR log line of each failed task. */
function changeErr(change: Change): string {
  const lines: string[] = [];
  for (const task of change.tasks) {
    if (task.status !== 'Error') continue;
    for (const line of task.log) {
      const match = /^\S+ ERROR ([\s\S]*)$/.exec(line);
      if (match) lines.push(`- ${task.summary} (${match[1]})`);
    }
  }
  return `cannot perform the following tasks:\n${lines.join('\n')}`;
}
