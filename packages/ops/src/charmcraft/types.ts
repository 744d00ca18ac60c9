/**
 * The typed view of a charm's charmcraft.yaml (unified format).
 * `CharmRuntimeMeta` is the small part the runtime needs at dispatch time; `CharmMeta` extends it,
 * so either can be handed to `dispatch`/`main`.
 * @module
 */

/** Types Juju accepts for a config option. */
export type ConfigOptionType = 'string' | 'int' | 'float' | 'boolean' | 'secret';

/** One `config.options.<name>` entry. */
export interface ConfigOptionMeta {
  type: ConfigOptionType;
  /** Absent when the option has no default (it is then unset until the user sets it). */
  default?: string | number | boolean;
  description?: string;
}

/** One `actions.<name>` entry. `params` is a JSON schema `properties` map. */
export interface ActionMeta {
  description?: string;
  params?: Record<string, JsonSchema>;
  required?: string[];
  /** Whether params not in `params` are allowed. Juju's default is true before 4.0. */
  additionalProperties?: boolean;
  parallel?: boolean;
  executionGroup?: string;
}

/** A JSON schema fragment, as written in charmcraft.yaml. */
export type JsonSchema = { [key: string]: unknown };

/** The three endpoint roles. */
export type EndpointRole = 'requires' | 'provides' | 'peers';

/** One `requires|provides|peers.<name>` entry. */
export interface EndpointMeta {
  interface: string;
  limit?: number;
  optional?: boolean;
  scope?: 'global' | 'container';
  description?: string;
}

/** One `storage.<name>` entry. */
export interface StorageMeta {
  type: 'filesystem' | 'block';
  description?: string;
  location?: string;
  shared?: boolean;
  readOnly?: boolean;
  minimumSize?: string;
  /** `multiple.range`, e.g. `1-3`, `2+`. */
  multipleRange?: string;
  properties?: string[];
}

/** One `containers.<name>` entry. */
export interface ContainerMeta {
  resource?: string;
  mounts: { storage: string; location: string }[];
  uid?: number;
  gid?: number;
}

/** One `resources.<name>` entry. */
export interface ResourceMeta {
  type: 'oci-image' | 'file';
  description?: string;
  filename?: string;
  upstreamSource?: string;
}

/** A run base, normalised from `base`+`platforms` or from `bases`. */
export interface BaseMeta {
  name: string;
  channel: string;
  architectures: string[];
}

/** What the runtime needs from the metadata at dispatch time (typegen emits this object). */
export interface CharmRuntimeMeta {
  name: string;
  config: Readonly<Record<string, Readonly<ConfigOptionMeta>>>;
  actions: Readonly<Record<string, Readonly<ActionMeta>>>;
  endpoints: Readonly<Record<EndpointRole, Readonly<Record<string, Readonly<EndpointMeta>>>>>;
  containers: Readonly<Record<string, unknown>>;
  storage: Readonly<Record<string, unknown>>;
}

/** Everything charmcraft.yaml says, validated. */
export interface CharmMeta extends CharmRuntimeMeta {
  /** The file it was read from. */
  file: string;
  title?: string;
  summary: string;
  description: string;
  config: Record<string, ConfigOptionMeta>;
  actions: Record<string, ActionMeta>;
  endpoints: Record<EndpointRole, Record<string, EndpointMeta>>;
  containers: Record<string, ContainerMeta>;
  storage: Record<string, StorageMeta>;
  resources: Record<string, ResourceMeta>;
  extraBindings: string[];
  /** `assumes` as written (strings and `any-of`/`all-of` maps). */
  assumes: unknown[];
  charmUser?: 'root' | 'sudoer' | 'non-root';
  subordinate: boolean;
  /** Run bases, in order: the first one is Juju's default at deploy. */
  bases: BaseMeta[];
  /** `platforms` as written, or undefined for the `bases` form. */
  platforms?: Record<string, unknown>;
  /** The validated YAML document as plain data (the packer derives metadata.yaml etc. from it). */
  document: Record<string, unknown>;
}
