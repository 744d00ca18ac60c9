/**
 * The state of a Juju model, as Juju's hook tools see it: applications, units, relations with
 * their data bags and memberships, and secrets. Plain JSON data: charm-sim persists it as it is
 * (its own records extend these), and @charm-ts/testing builds one from a test's State.
 * @module
 */
import type { CharmRuntimeMeta } from '@charm-ts/ops/metadata';

/** A workload or application status. */
export interface JujuStatus {
  status: string;
  message: string;
  /** When it was set (RFC 3339), where known. */
  since?: string;
}

/** What Juju's rules read from a charm's metadata: endpoints, config options, storage. */
export type CharmFacts = Pick<CharmRuntimeMeta, 'endpoints' | 'config' | 'storage'>;

/** An application. */
export interface JujuApp {
  name: string;
  charm: CharmFacts;
  /** Config values the user set (defaults come from `charm.config`). */
  config: Record<string, unknown>;
  /** Its units' names. */
  units: string[];
  /** The leader unit's name. */
  leader?: string;
  status?: JujuStatus;
  /** The workload version (`application-version-set`). */
  version: string;
  /** Leader settings (`leader-get`/`leader-set`). */
  leaderSettings: Record<string, string>;
}

/** A unit. */
export interface JujuUnit {
  name: string;
  app: string;
  workloadStatus: JujuStatus;
  /** Controller-side charm state (`state-get`/`state-set`). */
  state: Record<string, string>;
  /** Open ports as Juju prints them: `80/tcp`, `1000-2000/udp`, `icmp`. */
  ports: string[];
  /** The unit's address (`unit-get`, `network-get`). */
  address: string;
  /** Set while the unit is in error (goal-state shows `error`). */
  failedHook?: unknown;
  /** Being removed (goal-state shows `dying`). */
  dying?: boolean;
}

/** One side of a relation. */
export interface RelationEndpoint {
  app: string;
  endpoint: string;
}

/** A relation (a peer relation has one endpoint). */
export interface JujuRelation {
  id: number;
  interface: string;
  endpoints: RelationEndpoint[];
  /** Application data bags, by application name. */
  appData: Record<string, Record<string, string>>;
  /**
   * Unit data bags, by unit name: a unit has one from when it enters the relation's scope until
   * the relation is removed, even after it departs (Juju keeps departed units' settings).
   */
  unitData: Record<string, Record<string, string>>;
  /** For each unit, the remote units in its scope (what `relation-list` answers). */
  members: Record<string, string[]>;
  /** Units that have run relation-created. */
  created: string[];
  /** Being removed (`juju remove-relation`, or an application going). */
  dying?: boolean;
  /** The remote model's uuid, for a cross-model relation. */
  remoteModelUuid?: string;
}

/** One revision of a secret. */
export interface SecretRevision {
  revision: number;
  content: Record<string, string>;
}

/** A consumer's view of a secret: the revision it tracks, and its own label. */
export interface SecretConsumer {
  revision: number;
  label?: string;
}

/** A grant of a secret to an application or unit, through a relation. */
export interface SecretGrant {
  relationId: number;
  /** The application or unit name granted. */
  subject: string;
}

/** A secret. */
export interface JujuSecret {
  /** `secret:<xid>`. */
  id: string;
  ownerKind: 'application' | 'unit';
  /** The owning application's or unit's name. */
  owner: string;
  /** The owner's label. */
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
  grants: SecretGrant[];
  /** Consumers by unit name. */
  consumers: Record<string, SecretConsumer>;
  /** Revisions the owner has already been told to remove (secret-remove hook). */
  removeNotified?: number[];
}

/** A Juju model. */
export interface JujuModel {
  uuid: string;
  name: string;
  apps: Record<string, JujuApp>;
  units: Record<string, JujuUnit>;
  relations: Record<string, JujuRelation>;
  secrets: Record<string, JujuSecret>;
}

/** The hook being run, as Juju's hook context knows it. */
export interface HookInfo {
  /** The hook's name, e.g. `db-relation-departed`. */
  readonly hook: string;
  readonly relationId?: number;
  readonly remoteUnit?: string;
  readonly remoteApp?: string;
  /** On relation-departed: the unit leaving (`JUJU_DEPARTING_UNIT`). */
  readonly departingUnit?: string;
  /** On storage hooks: the storage instance (`data/0`). */
  readonly storageId?: string;
}

/** The action being run. */
export interface RunningAction {
  readonly name: string;
  /** Its params, defaults applied. */
  readonly params: Record<string, unknown>;
  /** Results set with action-set, nested at dots (`a.b=1` → `{ a: { b: '1' } }`). */
  results: Record<string, unknown>;
  /** action-log messages. */
  readonly log: string[];
  /** Set by action-fail. */
  failure?: string;
}

/** A storage instance attached to the unit. */
export interface StorageInstance {
  /** `name/index`, e.g. `data/0`. */
  readonly id: string;
  readonly kind: string;
  readonly location: string;
}

/** The latest revision of a secret (0 when it has none). */
export function latestRevision(secret: Pick<JujuSecret, 'revisions'>): number {
  return secret.revisions.reduce((max, r) => Math.max(max, r.revision), 0);
}

/** `secret:<xid>` (or `secret://model/xid`) → `xid`. */
export function bareSecretId(id: string): string {
  return id.replace(/^secret:(\/\/[^/]+\/)?/, '');
}

/** A new secret id in Juju's form: `secret:` and 20 base32hex characters. */
export function newSecretId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `secret:${Array.from(bytes, (b) => alphabet[b % 32]).join('')}`;
}
