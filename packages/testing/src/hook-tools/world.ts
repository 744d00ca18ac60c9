/**
 * The World: a mutable working copy of a State for one dispatch, which the in-memory hook
 * tools read and write. Juju commits relation data, state, ports, storage and secret changes
 * only when the hook succeeds; the World is simply discarded when it fails. Statuses, the
 * workload version and log lines are recorded as they happen, as Juju applies them at once.
 * @module
 */
import type { CharmRuntimeMeta, LogLevel, Port } from '@charm-ts/ops';
import type { AnyRelation, SecretState, State, StatusValue, StorageState } from '../state/types.ts';

/** A relation's bags, writable. */
export interface WorldRelation {
  readonly endpoint: string;
  readonly id: number;
  readonly peer: boolean;
  readonly remoteApp: string;
  readonly remoteModelUuid: string | undefined;
  localAppData: Record<string, string>;
  localUnitData: Record<string, string>;
  remoteAppData: Record<string, string>;
  /** Remote unit name (`app/n`) → bag. */
  remoteUnits: Map<string, Record<string, string>>;
}

/** A secret, writable. */
export interface WorldSecret {
  id: string;
  owner: 'app' | 'unit' | undefined;
  revisions: Map<number, Record<string, string>>;
  tracked: number;
  label: string | undefined;
  description: string | undefined;
  expire: string | undefined;
  rotate: SecretState['rotate'];
  grants: Map<number, Set<string>>;
}

/** One hook-tool call, as a test sees it. */
export interface HookToolCall {
  /** The tool, e.g. `relation-set`. */
  readonly tool: string;
  /** The arguments given to the HookTools method. */
  readonly args: readonly unknown[];
}

/** The running action, when the event is one. */
export interface WorldAction {
  readonly name: string;
  readonly params: Record<string, unknown>;
  results: Record<string, string>;
  logs: string[];
  failure: string | undefined;
  failed: boolean;
}

/** What the in-memory tools work on during one dispatch. */
export interface World {
  readonly unitName: string;
  readonly appName: string;
  readonly meta: CharmRuntimeMeta;
  readonly modelUuid: string;
  readonly leader: boolean;
  readonly plannedUnits: number;
  readonly trusted: boolean;
  readonly config: Record<string, string | number | boolean>;
  readonly relations: Map<number, WorldRelation>;
  /** On relation-broken: that relation's id (gone from `relation-ids`). */
  readonly brokenRelationId: number | undefined;
  /** On relation-departed: the unit leaving (gone from `relation-list`). */
  readonly departingUnit: string | undefined;
  readonly secrets: Map<string, WorldSecret>;
  readonly removedSecretRevisions: Array<{ id: string; revision: number }>;
  storages: StorageState[];
  /** On storage hooks: the storage instance (`JUJU_STORAGE_ID`). */
  readonly currentStorage: string | undefined;
  readonly storageAdds: Record<string, number>;
  /** Ports as Juju has them (pending opens and closes apply at commit). */
  readonly openedPorts: Port[];
  readonly portChanges: Array<{ open: boolean; port: Port }>;
  readonly networks: State['networks'];
  readonly resources: State['resources'];
  /** Juju's per-unit `state-get`/`state-set` store. */
  readonly jujuState: Map<string, string>;
  unitStatus: StatusValue;
  appStatus: StatusValue;
  workloadVersion: string;
  readonly action: WorldAction | undefined;
  readonly logs: Array<{ level: LogLevel; message: string }>;
  readonly unitStatusHistory: StatusValue[];
  readonly appStatusHistory: StatusValue[];
  readonly workloadVersionHistory: string[];
  readonly calls: HookToolCall[];
}

function copyBag(bag: Readonly<Record<string, string>>): Record<string, string> {
  return { ...bag };
}

/** A relation's writable copy. */
export function worldRelation(relation: AnyRelation, appName: string): WorldRelation {
  const remoteApp = relation.peer ? appName : relation.remoteApp;
  const units = relation.peer ? relation.peersData : relation.remoteUnitsData;
  return {
    endpoint: relation.endpoint,
    id: relation.id,
    peer: relation.peer === true,
    remoteApp,
    remoteModelUuid: relation.peer ? undefined : relation.remoteModelUuid,
    localAppData: copyBag(relation.localAppData),
    localUnitData: copyBag(relation.localUnitData),
    remoteAppData: relation.peer ? copyBag(relation.localAppData) : copyBag(relation.remoteAppData),
    remoteUnits: new Map(
      Object.entries(units).map(([n, bag]) => [`${remoteApp}/${n}`, copyBag(bag)]),
    ),
  };
}

/** A secret's writable copy; the tracked revision defaults to the latest. */
export function worldSecret(secret: SecretState): WorldSecret {
  const revisions = new Map(
    Object.entries(secret.revisions).map(([rev, content]) => [Number(rev), { ...content }]),
  );
  const latest = Math.max(0, ...revisions.keys());
  return {
    id: secret.id.startsWith('secret:') ? secret.id : `secret:${secret.id}`,
    owner: secret.owner,
    revisions,
    tracked: secret.trackedRevision ?? latest,
    label: secret.label,
    description: secret.description,
    expire: secret.expire,
    rotate: secret.rotate,
    grants: new Map(
      Object.entries(secret.grants).map(([rel, names]) => [Number(rel), new Set(names)]),
    ),
  };
}

/** The latest revision of a secret (0 when it has none). */
export function latestRevision(secret: WorldSecret): number {
  return Math.max(0, ...secret.revisions.keys());
}
