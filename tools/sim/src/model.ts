/**
 * The simulator's model: everything `charm-sim` knows, persisted as one JSON document in the
 * state directory so that commands compose across invocations.
 * @module
 */
import type { CharmInfo } from './charm.ts';

/** A workload or application status. */
export interface Status {
  status: string;
  message: string;
  since: string;
}

/** A hook waiting to run on a unit. */
export interface QueuedHook {
  /** Hook name, e.g. `install`, `db-relation-changed`, `web-pebble-ready`. */
  hook: string;
  relationId?: number;
  remoteUnit?: string;
  remoteApp?: string;
  departingUnit?: string;
  workload?: string;
  noticeId?: string;
  noticeType?: string;
  noticeKey?: string;
  checkName?: string;
  secretId?: string;
  secretLabel?: string;
  secretRevision?: number;
  storageId?: string;
}

/** A Pebble container of a unit's pod. */
export interface ContainerState {
  /** Process id of the sandbox running `pebble run`. */
  pid: number;
  /** Set once pebble-ready has been queued for this Pebble process. */
  ready?: boolean;
  /** Pebble's boot id when it was ready (a new one, after a reboot, is ready again). */
  bootId?: string;
  /** `last-repeated` of the newest notice already turned into an event. */
  noticesAfter?: string;
}

/** One unit: a pod. */
export interface UnitState {
  name: string;
  app: string;
  workloadStatus: Status;
  agentStatus: Status;
  /** Set while the unit is in error: the hook that failed, to run again on `resolve`. */
  failedHook?: QueuedHook;
  errorMessage?: string;
  queue: QueuedHook[];
  /** The hook being run; still set after a crash, so the next command runs it again. */
  running?: QueuedHook;
  /** Process id of the sandbox running that hook, saved as soon as it exists. */
  hookPid?: number;
  /** Controller-side charm state (`state-get`/`state-set`). */
  state: Record<string, string>;
  ports: string[];
  address: string;
  netns: string;
  podIndex: number;
  /**
   * False from the moment the unit is added (its setup hooks already queued) until its pod is
   * whole: charm files, network, every container. A pod left half made (a killed charm-sim)
   * is made again by the next command. Absent in older state: made.
   */
  provisioned?: boolean;
  containers: Record<string, ContainerState>;
  /** Set once `install` has committed: workload events wait for it. */
  installed: boolean;
  /** Set once `start` has run, so status can show `unknown` rather than `waiting`. */
  started: boolean;
  /** Being removed: its teardown hooks are queued. */
  dying?: boolean;
  /** The workload status before the unit went into error, restored by `resolve`. */
  statusBeforeError?: Status;
}

/** One deployed application. */
export interface AppState {
  name: string;
  charmFile: string;
  charmRevision: number;
  charm: CharmInfo;
  config: Record<string, unknown>;
  resources: Record<string, string>;
  units: string[];
  nextUnit: number;
  leader?: string;
  status?: Status;
  version: string;
  leaderSettings: Record<string, string>;
  /** Being removed: deleted once its last unit is gone. */
  dying?: boolean;
  /** The charm to switch to at the `@swap-charm` step of a refresh. */
  pendingCharmDir?: string;
}

/** One side of a relation. */
export interface RelationEndpoint {
  app: string;
  endpoint: string;
}

/** One relation (peer relations have a single endpoint). */
export interface RelationState {
  id: number;
  interface: string;
  endpoints: RelationEndpoint[];
  /** Application data bags, by app name. */
  appData: Record<string, Record<string, string>>;
  /** Unit data bags, by unit name. */
  unitData: Record<string, Record<string, string>>;
  /** For each unit, the remote units it has seen join (relation-list). */
  members: Record<string, string[]>;
  /** Units that have run relation-created. */
  created: string[];
  /** Being removed: departed/broken hooks are queued. */
  dying?: boolean;
}

/** One revision of a secret. */
export interface SecretRevision {
  revision: number;
  content: Record<string, string>;
}

/** A consumer's view of a secret. */
export interface SecretConsumer {
  revision: number;
  label?: string;
}

/** One secret. */
export interface SecretState {
  id: string;
  /** `app` or `unit` name that owns it. */
  ownerKind: 'application' | 'unit';
  owner: string;
  label?: string;
  description?: string;
  /** When the latest revision expires (RFC 3339). */
  expire?: string;
  /** Rotation policy: never, hourly, daily, weekly, monthly, quarterly, yearly. */
  rotate?: string;
  /** When secret-rotate is next due (RFC 3339). */
  nextRotate?: string;
  /** When secret-expired is next due again (Juju repeats it until the revision goes). */
  nextExpired?: string;
  revisions: SecretRevision[];
  /** Grants: relation id → app or unit names granted through it. */
  grants: { relationId: number; subject: string }[];
  /** Consumers by unit name. */
  consumers: Record<string, SecretConsumer>;
  /** Revisions the owner has already been told to remove (secret-remove). */
  removeNotified?: number[];
}

/** A finished action. */
export interface ActionRecord {
  id: number;
  unit: string;
  name: string;
  status: 'completed' | 'failed';
  message?: string;
  results: Record<string, unknown>;
  log: string[];
}

/** The whole model. */
export interface ModelState {
  version: 1;
  uuid: string;
  name: string;
  /** Network prefix for pod addresses, e.g. `10.222.17` (pods get .2, .3, …). */
  subnet: string;
  bridge: string;
  nextRelationId: number;
  nextActionId: number;
  updateStatusIntervalSeconds: number;
  apps: Record<string, AppState>;
  units: Record<string, UnitState>;
  relations: Record<string, RelationState>;
  secrets: Record<string, SecretState>;
  actions: ActionRecord[];
}

/** Now, as Juju prints it in status. */
export function now(): string {
  return new Date().toISOString();
}

/** A fresh status object. */
export function status(value: string, message = ''): Status {
  return { status: value, message, since: now() };
}
