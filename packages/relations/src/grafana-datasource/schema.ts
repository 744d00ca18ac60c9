/**
 * grafana_datasource's data, as `charms.grafana_k8s.v0.grafana_source` (LIBPATCH 29) writes and
 * reads it, and the older format the original Grafana charm read.
 *
 * - Source (provider) application bag: `grafana_source_data`, JSON `{model, model_uuid,
 *   application, type, extra_fields, secure_extra_fields}`.
 * - Source unit bags: `grafana_source_host`, a plain URL (`http://host:port`), or `''` for a unit
 *   that is not a datasource.
 * - Grafana (requirer) application bag, the leader's answer: `grafana_uid` and
 *   `grafana_base_url` as plain strings, `datasource_uids` JSON `{unit: source name}`.
 * - The original's format: each source unit bag has `private-address`, `port`, `source-type`
 *   and optionally `source-name`, all plain strings.
 * @module
 */
import { RelationDataError, type RelationDataErrorCode } from '../errors.ts';
import type { JsonValue } from '../json.ts';

/** The interface name in charmcraft.yaml. */
export const GRAFANA_DATASOURCE_INTERFACE = 'grafana_datasource';

/** Bag names used in errors. */
export const DATASOURCE_BAGS = {
  sourceApp: 'source application bag',
  sourceUnit: 'source unit bag',
  grafanaApp: 'grafana application bag',
} as const;

/** What a source application publishes about itself (`grafana_source_data`). */
export interface GrafanaSourceData {
  /** Required: the source's model name. */
  readonly model: string;
  /** Required: the source's model UUID. */
  readonly modelUuid: string;
  /** Required: the source's application name. */
  readonly application: string;
  /** Required: Grafana's datasource type, e.g. `prometheus`, `loki`. */
  readonly type: string;
  /** Optional: Grafana's `jsonData` for the datasource. Default none (`null`). */
  readonly extraFields?: { readonly [key: string]: JsonValue } | null;
  /** Optional: Grafana's `secureJsonData` (credentials). Default none (`null`). */
  readonly secureExtraFields?: { readonly [key: string]: JsonValue } | null;
}

/** Grafana's answer to a source application (the Grafana leader's application bag). */
export interface GrafanaSourceAnswer {
  /** Required: identifies this Grafana application. */
  readonly grafanaUid: string;
  /** Required: the datasource name Grafana gave each source unit (`unit` → name). */
  readonly datasourceUids: Readonly<Record<string, string>>;
  /** Optional: the URL Grafana is reached at. */
  readonly grafanaBaseUrl?: string;
}

/** Which format a source spoke. */
export type GrafanaSourceFormat = 'grafana_source' | 'legacy';

/** One datasource, as Grafana provisions it from a relation (the library's `host_data`). */
export interface GrafanaSource {
  /** The relation it came from. */
  readonly relationId: number;
  /** The source unit (`prometheus/0`). */
  readonly unit: string;
  /** The datasource's name in Grafana (`source_name`). */
  readonly name: string;
  /** The datasource type (`source_type`). */
  readonly type: string;
  /** Where Grafana reaches it. */
  readonly url: string;
  /** `jsonData`, when the source gave some. */
  readonly jsonData?: { readonly [key: string]: JsonValue };
  /** `secureJsonData`, when the source gave some: credentials, never logged. */
  readonly secureJsonData?: { readonly [key: string]: JsonValue };
  /** The format the source spoke. */
  readonly format: GrafanaSourceFormat;
}

/** A relation as the requirer reads it: who is on the other side and what their bags hold. */
export interface GrafanaSourceRelationView {
  readonly id: number;
  /** The remote application's name. */
  readonly app: string;
  /** The remote application bag. */
  readonly appBag: Readonly<Record<string, string>>;
  /** Each remote unit's bag, by unit name. */
  readonly units: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A RelationDataError about key `key` of grafana_datasource bag `bag`. */
export function datasourceError(
  bag: string,
  key: string,
  problem: string,
  code: RelationDataErrorCode = 'BAD_VALUE',
): RelationDataError {
  return new RelationDataError(code, problem, { iface: GRAFANA_DATASOURCE_INTERFACE, bag, key });
}

/** The number of a unit name (`prometheus/3` → 3), NaN when it has none. */
export function unitNumber(unit: string): number {
  const slash = unit.lastIndexOf('/');
  return slash < 0 ? Number.NaN : Number(unit.slice(slash + 1));
}

/** Unit names in the order of their numbers (then by name). */
export function byUnitNumber(a: string, b: string): number {
  return unitNumber(a) - unitNumber(b) || (a < b ? -1 : a > b ? 1 : 0);
}
