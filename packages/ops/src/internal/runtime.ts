/**
 * Per-dispatch shared state: the hook context, the (translated) hook tools, the metadata, the
 * Pebble factory, the persisted state, the logger, the leadership cache and the statuses
 * collected so far.
 * @module
 */
import type { Pebble } from '@charm-ts/pebble';
import type { CharmRuntimeMeta, EndpointRole } from '../charmcraft/types.ts';
import { FrameworkError, ModelError } from '../errors.ts';
import type { HookTools } from '../hook-tools/types.ts';
import type { JujuContext } from '../juju-context.ts';
import type { Logger } from '../logger.ts';
import type { PersistedState } from '../state.ts';
import type { Status } from '../status.ts';

/** Makes (or imports and makes) the Pebble client of a container. */
export type PebbleFactory = (container: string) => Pebble | Promise<Pebble>;

/** Shared by the model objects of one dispatch. */
export class Runtime {
  readonly unitStatuses: Status[] = [];
  readonly appStatuses: Status[] = [];
  private leader: Promise<boolean> | undefined;

  constructor(
    readonly ctx: JujuContext,
    readonly tools: HookTools,
    readonly meta: CharmRuntimeMeta | undefined,
    readonly pebble: PebbleFactory,
    readonly state: PersistedState,
    readonly logger: Logger,
  ) {}

  /**
   * Answers that cannot change during a hook (Juju fixes relation membership and remote data
   * for its duration), so each is asked once per dispatch. Keyed by tool and arguments.
   */
  readonly #memo = new Map<string, Promise<unknown>>();

  /** `fn()` once per dispatch for `key`; a failure is not remembered. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.#memo.set(key, p);
      p.catch(() => this.#memo.delete(key));
    }
    return p;
  }

  /** Forgets remembered answers whose key starts with `prefix` (after a write). */
  forget(prefix: string): void {
    for (const key of this.#memo.keys()) if (key.startsWith(prefix)) this.#memo.delete(key);
  }

  /** `is-leader`, run at most once per dispatch. */
  isLeader(): Promise<boolean> {
    this.leader ??= this.tools.isLeader();
    return this.leader;
  }

  /** Throws `ModelError` naming `what` unless this unit is the leader. */
  async requireLeader(what: string): Promise<void> {
    if (!(await this.isLeader()))
      throw new ModelError(`cannot ${what}: this unit is not the leader`);
  }

  /** The role of an endpoint, or undefined without metadata. Throws `FrameworkError` for an unknown one. */
  endpointRole(endpoint: string): EndpointRole | undefined {
    if (!this.meta) return undefined;
    for (const role of ['requires', 'provides', 'peers'] as const) {
      if (this.meta.endpoints[role][endpoint]) return role;
    }
    const all = (['requires', 'provides', 'peers'] as const).flatMap((r) =>
      Object.keys(this.meta?.endpoints[r] ?? {}),
    );
    throw new FrameworkError(
      `no endpoint '${endpoint}' in charmcraft.yaml (declared: ${all.join(', ') || 'none'})`,
    );
  }

  /** Throws `FrameworkError` when metadata is known and `name` is not declared under `section`. */
  checkDeclared(section: 'containers' | 'storage' | 'actions', name: string): void {
    const declared = this.meta?.[section];
    if (declared && !(name in declared)) {
      const what = section === 'storage' ? 'storage' : section.slice(0, -1);
      throw new FrameworkError(
        `no ${what} '${name}' in charmcraft.yaml (declared: ${Object.keys(declared).join(', ') || 'none'})`,
      );
    }
  }

  /** Records the status as the last one set, so collect-status does not set it again. */
  async setStatus(status: Status, app: boolean): Promise<void> {
    await this.tools.statusSet(status.status, status.message, app);
    this.state.status[app ? 'app' : 'unit'] = { status: status.status, message: status.message };
  }
}
