/**
 * The source side of grafana_datasource (`GrafanaSourceProvider`): the bags a datasource
 * (Prometheus, Loki, …) writes, and Grafana's answer as it reads it.
 * @module
 */
import type { DataBag } from '../bag.ts';
import { shown } from '../errors.ts';
import { pythonJson } from '../json.ts';
import { decodeKeys } from '../read.ts';
import {
  DATASOURCE_BAGS,
  datasourceError,
  GRAFANA_DATASOURCE_INTERFACE,
  type GrafanaSourceAnswer,
  type GrafanaSourceData,
} from './schema.ts';

/**
 * The source's application bag (the leader writes it), exactly as the library's `_set_sources`
 * writes it: `grafana_source_data` = `json.dumps({model, model_uuid, application, type,
 * extra_fields, secure_extra_fields})`, absent fields as `null`; an `alertmanager` source without
 * an `implementation` in its extra fields gets `prometheus`, as the library gives it. Throws
 * `RelationDataError` for an empty `type`.
 */
export function grafanaSourceProviderAppBag(data: GrafanaSourceData): DataBag {
  if (!data.type) {
    throw datasourceError(
      DATASOURCE_BAGS.sourceApp,
      'grafana_source_data.type',
      'must not be empty',
    );
  }
  let extraFields = data.extraFields ?? null;
  // The library gives alertmanager sources Grafana's `implementation` when they name none.
  if (data.type === 'alertmanager' && !extraFields?.implementation) {
    extraFields = { ...extraFields, implementation: 'prometheus' };
  }
  return {
    grafana_source_data: pythonJson({
      model: data.model,
      model_uuid: data.modelUuid,
      application: data.application,
      type: data.type,
      extra_fields: extraFields,
      secure_extra_fields: data.secureExtraFields ?? null,
    }),
  };
}

/**
 * A source unit's bag: `grafana_source_host` = the URL Grafana reaches this unit at, or `''` for
 * a unit that is not a datasource (the library's `is_ingress_per_app` followers). A URL without
 * a scheme gets `http://`, as the library's `_sanitize_source_url` does; `mimir` sources get
 * `/prometheus` appended, as the library does.
 */
export function grafanaSourceProviderUnitBag(url: string | undefined, type?: string): DataBag {
  if (url === undefined || url === '') return { grafana_source_host: '' };
  let host = /^[\p{L}\p{N}_]+:\/\//u.test(url) ? url : `http://${url}`;
  if (type === 'mimir') host = `${host}/prometheus`;
  return { grafana_source_host: host };
}

/**
 * Grafana's answer, read as the library's `get_source_data` reads it: undefined while there is
 * no `grafana_uid` (an older Grafana, or no answer yet); `datasource_uids` is JSON (absent:
 * `{}`), `grafana_base_url` a plain string. Throws `RelationDataError` when `datasource_uids`
 * is not a JSON object of strings.
 */
export function readGrafanaSourceAnswerBag(bag: DataBag): GrafanaSourceAnswer | undefined {
  const grafanaUid = bag.grafana_uid;
  if (!grafanaUid) return undefined;
  const ref = { iface: GRAFANA_DATASOURCE_INTERFACE, bag: DATASOURCE_BAGS.grafanaApp };
  const uids = decodeKeys(bag, ['datasource_uids'], ref).get('datasource_uids') ?? {};
  if (typeof uids !== 'object' || uids === null || Array.isArray(uids)) {
    throw datasourceError(ref.bag, 'datasource_uids', `must be a JSON object, not ${shown(uids)}`);
  }
  const datasourceUids: Record<string, string> = {};
  for (const [unit, name] of Object.entries(uids)) {
    if (typeof name !== 'string') {
      throw datasourceError(
        ref.bag,
        `datasource_uids.${unit}`,
        `must be a string, not ${shown(name)}`,
      );
    }
    datasourceUids[unit] = name;
  }
  const grafanaBaseUrl = bag.grafana_base_url;
  return { grafanaUid, datasourceUids, ...(grafanaBaseUrl !== undefined && { grafanaBaseUrl }) };
}
