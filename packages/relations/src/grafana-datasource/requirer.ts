/**
 * The Grafana side of grafana_datasource (`GrafanaSourceConsumer`): the sources a relation
 * offers, in today's format or the original's, and the answer Grafana's leader writes back.
 * @module
 */
import type { DataBag } from '../bag.ts';
import { shown } from '../errors.ts';
import { type JsonValue, pythonJson } from '../json.ts';
import { decodeKeys, ValueReader } from '../read.ts';
import {
  byUnitNumber,
  DATASOURCE_BAGS,
  datasourceError,
  GRAFANA_DATASOURCE_INTERFACE,
  type GrafanaSource,
  type GrafanaSourceAnswer,
  type GrafanaSourceData,
  type GrafanaSourceRelationView,
} from './schema.ts';

const SOURCE_DATA = 'grafana_source_data';
const SOURCE_HOST = 'grafana_source_host';
/** The unit keys of the original format, all required but `source-name`. */
const LEGACY_REQUIRED = ['private-address', 'port', 'source-type'] as const;

/** Python's `re.match(r"^\w+://", url)` (str patterns: Unicode word characters). */
const HAS_SCHEME = /^[\p{L}\p{N}_]+:\/\//u;

/**
 * The source's application bag, read as `_get_source_config` reads it: undefined when
 * `grafana_source_data` is absent or an empty object (the library offers no source then).
 * Throws `RelationDataError` where the library would raise (not JSON, a field missing) and
 * where it would format something that is not a string into a name (we refuse it).
 */
export function readGrafanaSourceAppBag(bag: DataBag): GrafanaSourceData | undefined {
  const ref = { iface: GRAFANA_DATASOURCE_INTERFACE, bag: DATASOURCE_BAGS.sourceApp };
  const data = decodeKeys(bag, [SOURCE_DATA], ref).get(SOURCE_DATA);
  if (data === undefined || data === null) return undefined;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw datasourceError(ref.bag, SOURCE_DATA, `must be a JSON object, not ${shown(data)}`);
  }
  if (Object.keys(data).length === 0) return undefined;
  const fields = new Map(Object.entries(data).map(([k, v]) => [`${SOURCE_DATA}.${k}`, v]));
  const read = new ValueReader(fields, ref);
  const extraFields = jsonObject(fields, `${SOURCE_DATA}.extra_fields`);
  const secureExtraFields = jsonObject(fields, `${SOURCE_DATA}.secure_extra_fields`);
  return {
    model: read.string(`${SOURCE_DATA}.model`),
    modelUuid: read.string(`${SOURCE_DATA}.model_uuid`),
    application: read.string(`${SOURCE_DATA}.application`),
    type: read.string(`${SOURCE_DATA}.type`),
    ...(extraFields && { extraFields }),
    ...(secureExtraFields && { secureExtraFields }),
  };
}

/**
 * The datasources one relation in today's format offers, as the library's `_get_source_config`
 * builds them: one per source unit with a `grafana_source_host` (units without one, or with
 * `''`, are not datasources), named `juju_<model>_<model_uuid>_<application>_<unit number>`,
 * the URL given `http://` when it has no scheme. Units come in the order of their numbers.
 * Undefined when the relation offers nothing in this format.
 */
export function grafanaSourcesOf(relation: GrafanaSourceRelationView): GrafanaSource[] | undefined {
  const data = readGrafanaSourceAppBag(relation.appBag);
  if (!data) return undefined;
  const sources: GrafanaSource[] = [];
  for (const unit of Object.keys(relation.units).sort(byUnitNumber)) {
    const host = relation.units[unit]?.[SOURCE_HOST];
    if (!host) continue;
    const number = unit.slice(unit.lastIndexOf('/') + 1);
    sources.push({
      relationId: relation.id,
      unit,
      name: `juju_${data.model}_${data.modelUuid}_${data.application}_${number}`,
      type: data.type,
      url: HAS_SCHEME.test(host) ? host : `http://${host}`,
      ...(data.extraFields && truthy(data.extraFields) && { jsonData: data.extraFields }),
      ...(data.secureExtraFields &&
        truthy(data.secureExtraFields) && { secureJsonData: data.secureExtraFields }),
      format: 'grafana_source',
    });
  }
  return sources;
}

/** A legacy source unit's fields, or the required keys it lacks. */
export type LegacySourceRead =
  | {
      readonly privateAddress: string;
      readonly port: string;
      readonly sourceType: string;
      readonly sourceName?: string;
    }
  | { readonly missing: readonly string[] };

/** A unit bag in the original's format: its fields, or which required ones are missing. */
export function readLegacySourceUnitBag(bag: DataBag): LegacySourceRead {
  const missing = LEGACY_REQUIRED.filter((key) => !bag[key]);
  if (missing.length > 0) return { missing };
  const sourceName = bag['source-name'];
  return {
    privateAddress: bag['private-address'] as string,
    port: bag.port as string,
    sourceType: bag['source-type'] as string,
    ...(sourceName && { sourceName }),
  };
}

/** What {@link readGrafanaSources} found across every relation. */
export interface GrafanaSourcesRead {
  /** Every datasource, relation by relation (by id), units by number. */
  readonly sources: readonly GrafanaSource[];
  /** Relations whose data could not be read, with why (nothing of theirs is in `sources`). */
  readonly problems: readonly { readonly relationId: number; readonly problem: string }[];
}

/**
 * Every datasource the relations offer. A relation in today's format (its application bag has
 * `grafana_source_data`) gives one per source unit (see {@link grafanaSourcesOf}). A relation in
 * the original's format gives one source from its lowest-numbered unit with `private-address`,
 * `port` and `source-type`: URL `http://<private-address>:<port>`, named `source-name`, or
 * `<remote app>_<relation id>` when that is missing or an earlier relation's source has it (the
 * original's rule, now computed from the relations, so a name never changes between events).
 * A relation that cannot be read is reported in `problems` and does not stop the others.
 */
export function readGrafanaSources(
  relations: readonly GrafanaSourceRelationView[],
): GrafanaSourcesRead {
  const sources: GrafanaSource[] = [];
  const problems: { relationId: number; problem: string }[] = [];
  const taken = new Set<string>();
  for (const relation of [...relations].sort((a, b) => a.id - b.id)) {
    let current: GrafanaSource[] | undefined;
    try {
      current = grafanaSourcesOf(relation);
    } catch (error) {
      problems.push({ relationId: relation.id, problem: (error as Error).message });
      continue;
    }
    if (!current) {
      const legacy = legacySource(relation, taken);
      if (!legacy) continue;
      current = [legacy];
    }
    for (const source of current) taken.add(source.name);
    sources.push(...current);
  }
  return { sources, problems };
}

function legacySource(relation: GrafanaSourceRelationView, taken: Set<string>) {
  for (const unit of Object.keys(relation.units).sort(byUnitNumber)) {
    const read = readLegacySourceUnitBag(relation.units[unit] ?? {});
    if ('missing' in read) continue;
    const name =
      read.sourceName && !taken.has(read.sourceName)
        ? read.sourceName
        : `${relation.app}_${relation.id}`;
    const source: GrafanaSource = {
      relationId: relation.id,
      unit,
      name,
      type: read.sourceType,
      url: `http://${read.privateAddress}:${read.port}`,
      format: 'legacy',
    };
    return source;
  }
  return undefined;
}

/**
 * The Grafana leader's answer on one relation, as `_publish_source_uids` writes it:
 * `grafana_uid` and `grafana_base_url` as plain strings (no `grafana_base_url` when it is empty:
 * Juju deletes a key set to `''`), `datasource_uids` as JSON (`{unit: datasource name}`, in the
 * order given). Throws `RelationDataError` for an empty `grafanaUid`. Write it whole (see
 * `bagChanges`).
 */
export function grafanaSourceAnswerBag(answer: GrafanaSourceAnswer): DataBag {
  if (!answer.grafanaUid) {
    throw datasourceError(DATASOURCE_BAGS.grafanaApp, 'grafana_uid', 'must not be empty');
  }
  return {
    grafana_uid: answer.grafanaUid,
    datasource_uids: pythonJson(answer.datasourceUids),
    // Juju deletes a key set to '': the library's empty URL leaves no key.
    ...(answer.grafanaBaseUrl && { grafana_base_url: answer.grafanaBaseUrl }),
  };
}

function truthy(value: { readonly [key: string]: JsonValue } | null | undefined) {
  return value !== null && value !== undefined && Object.keys(value).length > 0;
}

/** A JSON object (or null/absent) at `key`; anything else is refused, naming the key. */
function jsonObject(
  fields: Map<string, unknown>,
  key: string,
): { readonly [key: string]: JsonValue } | undefined {
  const value = fields.get(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw datasourceError(
      DATASOURCE_BAGS.sourceApp,
      key,
      `must be a JSON object or null, not ${shown(value)}`,
    );
  }
  return value as { readonly [key: string]: JsonValue };
}
