/**
 * The type parameters of a charm: what typegen writes from charmcraft.yaml.
 * @module
 */

/**
 * The types a charm is checked against; `typegen` writes them from charmcraft.yaml
 * (`config` option types, `actions` params per action, endpoint/container/storage names).
 */
export interface CharmTypes {
  config: object;
  actions: object;
  endpoints: string;
  containers: string;
  storages: string;
}

/** The types of a charm without generated types: anything goes. */
export interface UntypedCharm {
  config: Record<string, unknown>;
  actions: Record<string, Record<string, unknown>>;
  endpoints: string;
  containers: string;
  storages: string;
}
