/**
 * The simulator's model: everything `charm-sim` knows, persisted as one JSON document in the
 * state directory so that commands compose across invocations. Its records are
 * @charm-ts/juju-model's (whose rules the hook tools apply) with what a simulator adds: pods,
 * hook queues, charm files.
 * @module
 */
import type {
  HookInfo,
  JujuApp,
  JujuModel,
  JujuSecret,
  JujuStatus,
  JujuUnit,
  SecretRevision,
} from '@charm-ts/juju-model';
import type { CharmInfo } from './charm.ts';

/** A workload or application status, with when it was set. */
export interface Status extends JujuStatus {
  since: string;
}

/** A hook waiting to run on a unit. */
export interface QueuedHook extends HookInfo {
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
export interface PodContainer {
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
export interface UnitState extends JujuUnit {
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
  netns: string;
  podIndex: number;
  /**
   * False from the moment the unit is added (its setup hooks already queued) until its pod is
   * whole: charm files, network, every container. A pod left half made (a killed charm-sim)
   * is made again by the next command. Absent in older state: made.
   */
  provisioned?: boolean;
  containers: Record<string, PodContainer>;
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
export interface AppState extends JujuApp {
  charmFile: string;
  charmRevision: number;
  charm: CharmInfo;
  resources: Record<string, string>;
  nextUnit: number;
  status?: Status;
  /** Being removed: deleted once its last unit is gone. */
  dying?: boolean;
  /** The charm to switch to at the `@swap-charm` step of a refresh. */
  pendingCharmDir?: string;
  /** Deployed with `--trust` (recorded only: credential-get is denied all the same). */
  trust?: boolean;
}

/** A secret as charm-sim keeps it: Juju's, with when it was made and last changed. */
export interface SecretState extends JujuSecret {
  revisions: (SecretRevision & {
    /** When the hook that made it committed (RFC 3339); absent in older state. */
    created?: string;
  })[];
  /** When the hook that created it committed, and when one last changed it (RFC 3339). */
  created?: string;
  updated?: string;
}

/** A finished action (or `juju exec` command, named `juju-exec`). */
export interface ActionRecord {
  id: number;
  unit: string;
  name: string;
  status: 'completed' | 'failed';
  message?: string;
  results: Record<string, unknown>;
  log: string[];
  /** When each `log` line was written (RFC 3339), in the same order. */
  logTimes?: string[];
  /** The exit code of its process; null when it was killed (a timeout). */
  returnCode?: number | null;
  /** What its process printed. */
  stdout?: string;
  stderr?: string;
  /** When it was asked for, when its process started and when it ended (RFC 3339). */
  enqueued?: string;
  started?: string;
  completed?: string;
}

/** The state file's format: 2 since charm metadata uses @charm-ts/ops' types. */
export const MODEL_VERSION = 2;

/** The whole model. */
export interface ModelState extends JujuModel {
  version: typeof MODEL_VERSION;
  /** Network prefix for pod addresses, e.g. `10.222.17` (pods get .2, .3, …). */
  subnet: string;
  bridge: string;
  nextRelationId: number;
  nextActionId: number;
  updateStatusIntervalSeconds: number;
  apps: Record<string, AppState>;
  units: Record<string, UnitState>;
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
