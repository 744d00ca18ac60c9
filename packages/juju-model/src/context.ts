/**
 * `HookContext`: one unit running one hook or action against a JujuModel, as Juju's uniter
 * builds it: the unit, its application, the hook's relation and remote unit, and the hook's
 * transaction (`Draft`): what Juju commits only when the hook exits 0 (relation data, charm
 * state, ports, storage, secrets). Immediate effects (status, workload version, leader settings,
 * logs) change the model at once and are reported to the `HookHost`.
 * @module
 */
import type { CloudSpec, LogLevel, NetworkInfo } from '@charm-ts/ops';
import { runError, usageError } from './errors.ts';
import type {
  HookInfo,
  JujuApp,
  JujuModel,
  JujuRelation,
  JujuSecret,
  JujuUnit,
  RunningAction,
  StorageInstance,
} from './model.ts';

/** What a hook changes that Juju commits only when it exits 0. */
export interface Draft {
  /** Every relation, with this hook's writes to its own bags. */
  relations: Record<string, JujuRelation>;
  /** Every secret, with this hook's changes. */
  secrets: Record<string, JujuSecret>;
  /** The unit's charm state. */
  state: Record<string, string>;
  /** The unit's open ports as they will be (`80/tcp`). */
  ports: string[];
  /** Storage instances asked for (`storage-add`), by storage name. */
  storageAdds: Record<string, number>;
  /** Ids of secrets whose content got a new revision. */
  newRevisions: Set<string>;
  /** Secret revisions removed (`secret-remove`). */
  removedRevisions: Array<{ id: string; revision: number }>;
}

/**
 * A transaction over `model` for `unit`: deep copies of the relations and secrets, and of the
 * unit's state and ports.
 */
export function beginHook(model: JujuModel, unit: JujuUnit): Draft {
  return {
    relations: structuredClone(model.relations),
    secrets: structuredClone(model.secrets),
    state: { ...unit.state },
    ports: [...unit.ports],
    storageAdds: {},
    newRevisions: new Set(),
    removedRevisions: [],
  };
}

/** What changed at once (status-set, application-version-set, leader-set). */
export type ImmediateChange = 'unit-status' | 'app-status' | 'version' | 'leader-settings';

/** What the model asks of the world around it: time, logs, and what only the host knows. */
export interface HookHost {
  /** Now, in milliseconds since the epoch. */
  now(): number;
  /** A `juju-log` line, written at once. */
  log(level: LogLevel | 'TRACE', message: string): void;
  /**
   * Called after an immediate change was made to the model (to save it, record it, stamp a new
   * status with the time, …).
   */
  changed(what: ImmediateChange): void;
  /** The network a declared binding (or one of `extraBindings`) has for this unit. */
  network(binding: string): NetworkInfo;
  /** Bindings beyond the charm's endpoints that `network-get` knows. */
  readonly extraBindings: readonly string[];
  /** The storage instances attached to the unit. */
  storage(): readonly StorageInstance[];
  /** The local path of a resource; throws `JujuError` with Juju's text when there is none. */
  resource(name: string): string;
  /** The cloud credential; throws `JujuError` when the application is not trusted. */
  credential(): CloudSpec;
  /** A new secret id (`secret:` and 20 base32hex characters). */
  newSecretId(): string;
}

/** What a HookContext is made of. */
export interface HookContextInit {
  readonly model: JujuModel;
  /** The unit running the hook. */
  readonly unit: string;
  /** The hook; undefined while an action runs. */
  readonly hook?: HookInfo | undefined;
  readonly action?: RunningAction | undefined;
  readonly draft: Draft;
  readonly host: HookHost;
}

// `-r` takes `<endpoint>:<id>` or `<id>`; Juju reads the number after the last colon only.
const RELATION_FLAG = /^(?:.*:)?([+-]?\d+)$/;

/** One unit running one hook or action: what every Juju rule reads. */
export class HookContext {
  readonly model: JujuModel;
  readonly unit: JujuUnit;
  readonly app: JujuApp;
  readonly hook: HookInfo | undefined;
  readonly action: RunningAction | undefined;
  readonly draft: Draft;
  readonly host: HookHost;

  /** @throws Error when the unit or its application is not in the model. */
  constructor(init: HookContextInit) {
    const unit = init.model.units[init.unit];
    const app = unit && init.model.apps[unit.app];
    if (!unit || !app) throw new Error(`unit ${init.unit} is not in the model`);
    this.model = init.model;
    this.unit = unit;
    this.app = app;
    this.hook = init.hook;
    this.action = init.action;
    this.draft = init.draft;
    this.host = init.host;
  }

  /** True when this unit holds its application's leadership. */
  get leader(): boolean {
    return this.app.leader === this.unit.name;
  }

  /**
   * Whether the unit's hook context knows `rel`: its application takes part, and it has not yet
   * run relation-broken for it (a relation being removed stays known until then).
   */
  knows(rel: JujuRelation): boolean {
    if (!rel.endpoints.some((e) => e.app === this.app.name)) return false;
    return !rel.dying || rel.created.includes(this.unit.name);
  }

  /**
   * The relation named by `-r` (`db:3` or `3`), or the hook's relation when `flag` is undefined.
   * @throws JujuError exit 2: `no relation id specified`, `invalid value "x" for option -r:
   * invalid relation id`, `… relation not found`.
   */
  relation(flag: string | undefined): JujuRelation {
    if (flag === undefined) {
      const rel = this.hookRelation();
      if (!rel) throw usageError('no relation id specified');
      return rel;
    }
    const match = RELATION_FLAG.exec(flag);
    if (!match) throw usageError(`invalid value "${flag}" for option -r: invalid relation id`);
    const rel = this.draft.relations[String(Number(match[1]))];
    if (!rel || !this.knows(rel)) {
      throw usageError(`invalid value "${flag}" for option -r: relation not found`);
    }
    return rel;
  }

  /** The relation of the running relation hook, if any. */
  hookRelation(): JujuRelation | undefined {
    const id = this.hook?.relationId;
    const rel = id === undefined ? undefined : this.draft.relations[String(id)];
    return rel && this.knows(rel) ? rel : undefined;
  }

  /** The endpoint this unit's application uses in `rel`. */
  endpointOf(rel: JujuRelation): string {
    return rel.endpoints.find((e) => e.app === this.app.name)?.endpoint ?? '';
  }

  /** The application at the other end of `rel` (this one, for a peer relation). */
  remoteApp(rel: JujuRelation): string {
    return (rel.endpoints.find((e) => e.app !== this.app.name) ?? rel.endpoints[0])?.app ?? '';
  }

  /** Throws `JujuError` exit 1 `not running an action` outside an action. */
  runningAction(): RunningAction {
    if (!this.action) throw runError('not running an action');
    return this.action;
  }
}
