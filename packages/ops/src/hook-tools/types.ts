/**
 * `HookTools`: one method per Juju hook tool, with parsed results. The process backend
 * (`ProcessHookTools`) spawns the real tools; @charm-ts/testing implements the same interface in
 * memory. Methods throw `HookToolError` (cmd, exitCode, stderr with Juju's text) when the tool
 * fails; the model layer translates that once into `ModelError` and its subclasses.
 * @module
 */

/** `juju-log` levels. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Statuses a charm may set. */
export type SettableStatus = 'active' | 'blocked' | 'maintenance' | 'waiting';

/** Statuses Juju may report. */
export type StatusName = SettableStatus | 'error' | 'unknown' | (string & {});

/** A status as `status-get` reports it. */
export interface StatusInfo {
  status: StatusName;
  message: string;
  /** `status-data`, when Juju sent any. */
  data?: Record<string, unknown>;
}

/** The application status and its units' statuses (`status-get --application`). */
export interface AppStatusInfo extends StatusInfo {
  units: Record<string, StatusInfo>;
}

/** A relation as hook tools address it: `-r <endpoint>:<id>`. */
export interface RelationRef {
  endpoint: string;
  id: number;
}

/** A port or range; `icmp` has no port. */
export interface Port {
  protocol: 'tcp' | 'udp' | 'icmp';
  /** The port, or the first of a range. Absent for icmp. */
  port?: number;
  /** The last port of a range. */
  toPort?: number;
}

/** One address of a bound interface (`network-get`). */
export interface NetworkAddress {
  hostname: string;
  value: string;
  cidr: string;
}

/** `network-get` output. */
export interface NetworkInfo {
  bindAddresses: { macAddress: string; interfaceName: string; addresses: NetworkAddress[] }[];
  egressSubnets: string[];
  ingressAddresses: string[];
}

/** A unit's or relation's status in `goal-state`. */
export interface GoalStatus {
  status: string;
  since?: string;
}

/** `goal-state` output. */
export interface GoalState {
  units: Record<string, GoalStatus>;
  /** endpoint → (app or unit name) → status. */
  relations: Record<string, Record<string, GoalStatus>>;
}

/** `storage-get` output. */
export interface StorageInfo {
  kind: 'block' | 'filesystem' | (string & {});
  location: string;
}

/** Secret rotation policies. */
export type SecretRotate =
  | 'never'
  | 'hourly'
  | 'daily'
  | 'weekly'
  | 'monthly'
  | 'quarterly'
  | 'yearly';

/** Metadata of a secret, shared by `secretAdd` and `secretSet`. */
export interface SecretMetadataOptions {
  label?: string;
  description?: string;
  /** A duration (`24h`) or an RFC 3339 time. */
  expire?: string;
  rotate?: SecretRotate;
}

/** Options of `secretAdd`. */
export interface SecretAddOptions extends SecretMetadataOptions {
  /** Default `application` (only the leader may add those). */
  owner?: 'application' | 'unit';
}

/** Options of `secretSet`: new content makes a new revision; metadata alone does not. */
export interface SecretSetOptions extends SecretMetadataOptions {
  content?: Record<string, string>;
}

/** Which secret `secretGet`/`secretInfoGet` mean: by id, by label, or id + a label to set. */
export interface SecretLookup {
  id?: string;
  label?: string;
}

/** Options of `secretGet`. */
export interface SecretGetOptions extends SecretLookup {
  /** Read the latest revision this once, without tracking it. */
  peek?: boolean;
  /** Read the latest revision and track it from now on. */
  refresh?: boolean;
}

/** `secret-info-get` output (owners only). */
export interface SecretInfo {
  id: string;
  revision: number;
  label?: string;
  description?: string;
  expiry?: string;
  rotation?: SecretRotate;
  rotates?: string;
}

/** Options of `secretRevoke`: whom to revoke from. */
export interface SecretRevokeOptions {
  relation?: RelationRef;
  app?: string;
  unit?: string;
}

/** `credential-get` output, as Juju sends it (kebab-case keys). */
export type CloudSpec = Record<string, unknown>;

/**
 * Juju's hook tools, one method per tool. Every method may throw `HookToolError`.
 * Data goes on stdin (`--file -`) or in private temporary files, never on the command line,
 * where secret content would be visible in /proc and logs.
 */
export interface HookTools {
  /** `action-get --format=json`: the action's params, defaults applied. */
  actionGet(): Promise<Record<string, unknown>>;
  /** `action-set k=v…`: results; nested keys must already be flattened to dotted keys. */
  actionSet(results: Record<string, string>): Promise<void>;
  /** `action-log -- <message>`. */
  actionLog(message: string): Promise<void>;
  /** `action-fail [-- <message>]`. */
  actionFail(message?: string): Promise<void>;
  /** `application-version-set -- <version>`. */
  applicationVersionSet(version: string): Promise<void>;
  /** `config-get --format=json`: every set option (unset ones without a default are absent). */
  configGet(): Promise<Record<string, unknown>>;
  /** `credential-get --format=json` (needs `juju trust`). */
  credentialGet(): Promise<CloudSpec>;
  /** `goal-state --format=json`. */
  goalState(): Promise<GoalState>;
  /** `is-leader --format=json`. */
  isLeader(): Promise<boolean>;
  /** `juju-log --log-level <level> -- <message>`. */
  jujuLog(level: LogLevel, message: string): Promise<void>;
  /**
   * Optional: sends many lines with as few `juju-log` runs as it can (the process tools join
   * consecutive lines of one level into one message). Without it, the logger calls `jujuLog` once
   * per line (what an in-memory implementation wants: one record per line).
   */
  jujuLogLines?(lines: readonly { level: LogLevel; message: string }[]): Promise<void>;
  /** `network-get --format=json [-r ep:id] <binding>`. */
  networkGet(binding: string, relation?: RelationRef): Promise<NetworkInfo>;
  /** `open-port [--endpoints a,b] <port>`. */
  openPort(port: Port, endpoints?: readonly string[]): Promise<void>;
  /** `close-port [--endpoints a,b] <port>`. */
  closePort(port: Port, endpoints?: readonly string[]): Promise<void>;
  /** `opened-ports --format=json`. */
  openedPorts(): Promise<Port[]>;
  /** `relation-ids --format=json <endpoint>`: ids of the endpoint's live relations. */
  relationIds(endpoint: string): Promise<number[]>;
  /** `relation-list --format=json -r ep:id`: remote unit names. */
  relationList(relation: RelationRef): Promise<string[]>;
  /** `relation-list --format=json --app -r ep:id`: the remote application's name. */
  relationListApp(relation: RelationRef): Promise<string>;
  /** `relation-get --format=json -r ep:id [--app] - <unit-or-app>`: the whole bag. */
  relationGet(
    relation: RelationRef,
    unitOrApp: string,
    app: boolean,
  ): Promise<Record<string, string>>;
  /** `relation-set -r ep:id [--app] --file -` with the data as JSON on stdin; `''` deletes a key. */
  relationSet(relation: RelationRef, data: Record<string, string>, app: boolean): Promise<void>;
  /** `relation-model-get --format=json -r ep:id` (Juju ≥ 3.6.2). */
  relationModelGet(relation: RelationRef): Promise<{ uuid: string }>;
  /** `resource-get <name>`: the local path of the resource file. */
  resourceGet(name: string): Promise<string>;
  /** `secret-add … k#file=<tmp>…`: returns the new secret's id. */
  secretAdd(content: Record<string, string>, options?: SecretAddOptions): Promise<string>;
  /** `secret-get --format=json [<id>] [--label L] [--peek|--refresh]`. */
  secretGet(options: SecretGetOptions): Promise<Record<string, string>>;
  /** `secret-set … <id> k#file=<tmp>…`. */
  secretSet(id: string, options: SecretSetOptions): Promise<void>;
  /** `secret-grant --relation ep:id [--unit u] <id>`. */
  secretGrant(id: string, relation: RelationRef, unit?: string): Promise<void>;
  /** `secret-revoke [--relation ep:id] [--app a] [--unit u] <id>`. */
  secretRevoke(id: string, options: SecretRevokeOptions): Promise<void>;
  /** `secret-remove <id> [--revision N]`. */
  secretRemove(id: string, revision?: number): Promise<void>;
  /** `secret-ids --format=json`: ids of secrets this app/unit owns. */
  secretIds(): Promise<string[]>;
  /** `secret-info-get --format=json <id> | --label L`. */
  secretInfoGet(lookup: SecretLookup): Promise<SecretInfo>;
  /** `state-get --format=json <key>`: the value, or undefined when unset. */
  stateGet(key: string): Promise<string | undefined>;
  /** `state-set --file -` with the data as JSON on stdin. */
  stateSet(data: Record<string, string>): Promise<void>;
  /** `state-delete <key>`. */
  stateDelete(key: string): Promise<void>;
  /** `status-get --format=json --include-data`: this unit's status. */
  statusGet(): Promise<StatusInfo>;
  /** `status-get --format=json --include-data --application` (leader only). */
  appStatusGet(): Promise<AppStatusInfo>;
  /** `status-set [--application] <status> -- <message>`. */
  statusSet(status: SettableStatus, message: string, app: boolean): Promise<void>;
  /** `storage-get --format=json [-s <id>]`. */
  storageGet(storageId?: string): Promise<StorageInfo>;
  /** `storage-list --format=json [<name>]`: storage ids such as `data/0`. */
  storageList(name?: string): Promise<string[]>;
  /** `storage-add <name>=<count>…`. */
  storageAdd(counts: Record<string, number>): Promise<void>;
  /** `unit-get --format=json <key>`. */
  unitGet(key: 'private-address' | 'public-address'): Promise<string>;
  /** `leader-get --format=json`: all leader settings (absent in Juju 4). */
  leaderGet(): Promise<Record<string, string>>;
  /** `leader-set k=v…` (absent in Juju 4). */
  leaderSet(data: Record<string, string>): Promise<void>;
}
