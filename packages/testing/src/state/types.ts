/**
 * The State of a state-transition test: plain, immutable data describing what Juju and the
 * workload look like before an event (input) and after it (output). Build it with the helpers
 * in `builders.ts`; `Context.run` never changes its input.
 * @module
 */
import type { NetworkInfo, Port, SecretRotate } from '@charm-ts/ops';
import type { CheckInfo, Layer, Notice, Plan, ServiceStatus } from '@charm-ts/pebble';
import type { ExecHandler } from '../pebble/exec.ts';
import type { ExecRecord } from '../pebble/memory-pebble.ts';
import type { ProcessModel } from '../pebble/processes.ts';

/** A unit or application status. */
export interface StatusValue {
  readonly status: 'active' | 'blocked' | 'maintenance' | 'waiting' | 'error' | 'unknown';
  readonly message: string;
}

/** A data bag: relation data is strings only, as in Juju. */
export type DataBag = Readonly<Record<string, string>>;

/** A relation to another application (`requires`/`provides` endpoint). */
export interface RelationState {
  readonly endpoint: string;
  /** The relation id (`db:<id>`). */
  readonly id: number;
  /** The remote application's name. */
  readonly remoteApp: string;
  /** Optional: the remote application's endpoint (in Juju's error texts). Default: `endpoint`. */
  readonly remoteEndpoint?: string;
  readonly localAppData: DataBag;
  readonly localUnitData: DataBag;
  readonly remoteAppData: DataBag;
  /** Remote units by unit number (`remoteApp/<n>`) and their data bags. */
  readonly remoteUnitsData: Readonly<Record<number, DataBag>>;
  /** Optional: the remote model's uuid (`relation-model-get`). Default: this model's. */
  readonly remoteModelUuid?: string;
  readonly peer?: false;
  readonly subordinate?: false;
}

/** A peer relation: the other units are this application's. */
export interface PeerRelationState {
  readonly endpoint: string;
  readonly id: number;
  readonly localAppData: DataBag;
  readonly localUnitData: DataBag;
  /** The other units of this application by unit number, and their data bags. */
  readonly peersData: Readonly<Record<number, DataBag>>;
  readonly peer: true;
  readonly subordinate?: false;
}

/**
 * A subordinate charm's relation to its principal (an endpoint with `scope: container`): the
 * one remote unit is the principal unit the subordinate is attached to.
 */
export interface SubordinateRelationState {
  readonly endpoint: string;
  readonly id: number;
  /** The principal application's name. */
  readonly remoteApp: string;
  /** Optional: the remote application's endpoint (in Juju's error texts). Default: `endpoint`. */
  readonly remoteEndpoint?: string;
  /** The principal unit's number (`remoteApp/<n>`). */
  readonly remoteUnit: number;
  readonly localAppData: DataBag;
  readonly localUnitData: DataBag;
  readonly remoteAppData: DataBag;
  /**
   * The principal unit's bag. Juju puts the unit's addresses in it when it enters the relation
   * (`private-address`, `ingress-address`, `egress-subnets`): the builder does too.
   */
  readonly remoteUnitData: DataBag;
  /** Optional: the remote model's uuid (`relation-model-get`). Default: this model's. */
  readonly remoteModelUuid?: string;
  readonly subordinate: true;
  readonly peer?: false;
}

/** Any relation. */
export type AnyRelation = RelationState | PeerRelationState | SubordinateRelationState;

/** A file in a container, with optional ownership and mode. */
export interface FileState {
  readonly content: string | Uint8Array;
  readonly permissions?: number;
  readonly userId?: number;
  readonly user?: string;
  readonly groupId?: number;
  readonly group?: string;
}

/** A check's state as the test wants it at the start. */
export interface CheckState {
  /** Optional: `down` makes the check fail its threshold before the event. Default `up`. */
  readonly status?: 'up' | 'down';
  /** Optional: the error a failing check reports. */
  readonly error?: string;
}

/** A custom notice recorded in the container before the event. */
export interface NoticeState {
  readonly key: string;
  readonly data?: Readonly<Record<string, string>>;
}

/** A workload container and its Pebble. */
export interface ContainerState {
  readonly name: string;
  /** Whether Pebble answers. */
  readonly canConnect: boolean;
  /** Layers by label, in order. */
  readonly layers: Readonly<Record<string, Layer>>;
  /** Service statuses (services must be in the layers). */
  readonly serviceStatuses: Readonly<Record<string, ServiceStatus>>;
  /** Files by absolute path; parents are created. */
  readonly files: Readonly<Record<string, string | Uint8Array | FileState>>;
  /** Exec handlers by command prefix (`"ls -l"`). */
  readonly execs: Readonly<Record<string, ExecHandler>>;
  /** Check states by name (checks must be in the layers). */
  readonly checks: Readonly<Record<string, CheckState>>;
  /** Custom notices already recorded. */
  readonly notices: readonly NoticeState[];
  /** Optional: how service commands behave (see MemoryPebble). */
  readonly processes?: ProcessModel;
}

/** A container after the event: what Pebble holds. */
export interface ContainerOutput extends ContainerState {
  /** The combined plan. */
  readonly plan: Plan;
  /** Every regular file's content (UTF-8) by path. */
  readonly files: Readonly<Record<string, string>>;
  /** Checks as Pebble lists them. */
  readonly checkInfos: readonly CheckInfo[];
  /** Notices as Pebble lists them. */
  readonly noticeList: readonly Notice[];
  /** The commands the charm ran. */
  readonly execHistory: readonly ExecRecord[];
}

/** A secret visible to this unit: one it owns, or one granted to it. */
export interface SecretState {
  /** `secret:<id>` (or a bare id). */
  readonly id: string;
  /** Who owns it: this `app`, this `unit`, or undefined for another application's secret. */
  readonly owner?: 'app' | 'unit';
  /** Revision contents, by revision number. */
  readonly revisions: Readonly<Record<number, Readonly<Record<string, string>>>>;
  /** The revision this unit tracks (default: the latest). */
  readonly trackedRevision?: number;
  readonly label?: string;
  readonly description?: string;
  readonly expire?: string;
  readonly rotate?: SecretRotate;
  /** Grants: relation id → the app or unit names granted. */
  readonly grants: Readonly<Record<number, readonly string[]>>;
}

/** A storage instance attached to this unit. */
export interface StorageState {
  readonly name: string;
  readonly index: number;
  readonly location: string;
  readonly kind: 'filesystem' | 'block';
}

/** A deferred Juju event, as the runtime stores it. */
export interface DeferredHookState {
  readonly hook: string;
  readonly observer: string;
  readonly env: Readonly<Record<string, string>>;
}

/** A deferred library event (`<namespace>/<event>`), its payload as JSON. */
export interface DeferredLibraryState {
  readonly event: string;
  readonly observer: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A deferred event, as the runtime stores it. */
export type DeferredState = DeferredHookState | DeferredLibraryState;

/** The whole state. */
export interface State {
  /** Config values that are set (defaults from charmcraft.yaml apply to the rest). */
  readonly config: Readonly<Record<string, string | number | boolean>>;
  readonly leader: boolean;
  readonly plannedUnits: number;
  readonly model: { readonly name: string; readonly uuid: string };
  readonly relations: readonly AnyRelation[];
  readonly containers: readonly ContainerState[];
  readonly secrets: readonly SecretState[];
  readonly storages: readonly StorageState[];
  readonly openedPorts: readonly Port[];
  /** Network info by binding (endpoint or extra binding); a default one is used otherwise. */
  readonly networks: Readonly<Record<string, NetworkInfo>>;
  /** Resource paths by resource name. */
  readonly resources: Readonly<Record<string, string>>;
  /** The charm's stored state (the runtime's `stored`). */
  readonly storedState: Readonly<Record<string, unknown>>;
  readonly deferred: readonly DeferredState[];
  readonly unitStatus: StatusValue;
  readonly appStatus: StatusValue;
  readonly workloadVersion: string;
}

/** The state after an event: the same fields, containers with what Pebble now holds. */
export interface OutputState extends Omit<State, 'containers'> {
  readonly containers: readonly ContainerOutput[];
}
