/**
 * grafana_dashboard's data, as `charms.grafana_k8s.v0.grafana_dashboard` (LIBPATCH 48) writes
 * and reads it.
 *
 * - Provider application bag: `dashboards`, JSON `{"templates": {"<id>": {charm, content,
 *   juju_topology, inject_dropdowns, dashboard_alt_uid?}}, "uuid": …}`; `content` is the
 *   dashboard JSON, xz-compressed and base64-encoded (cosl's `LZMABase64`).
 * - Grafana (requirer) application bag: `event`, JSON `{"errors": [{dashboard_id, error}]}`,
 *   written when a template cannot be read.
 * @module
 */
import { RelationDataError, type RelationDataErrorCode } from '../errors.ts';
import type { JsonValue } from '../json.ts';

/** The interface name in charmcraft.yaml. */
export const GRAFANA_DASHBOARD_INTERFACE = 'grafana_dashboard';

/** Bag names used in errors. */
export const DASHBOARD_BAGS = {
  providerApp: 'provider application bag',
  grafanaApp: 'grafana application bag',
} as const;

/** One template as the provider sends it. */
export interface DashboardTemplate {
  /** The providing charm's name. */
  readonly charm: string;
  /** The dashboard JSON, xz + base64. */
  readonly content: string;
  /** The provider's Juju topology (`{}` when dropdowns are not injected). */
  readonly jujuTopology: { readonly [key: string]: JsonValue };
  /** Whether Grafana should add the Juju topology dropdowns. Default true. */
  readonly injectDropdowns: boolean;
  /** A uid for a dashboard that has none. */
  readonly dashboardAltUid?: string;
}

/** A dashboard ready to provision. */
export interface GrafanaDashboard {
  /** The relation it came from. */
  readonly relationId: number;
  /** The template's id in the provider's bag (`file:<stem>`, `prog:<…>`). */
  readonly id: string;
  /** The providing charm's name. */
  readonly charm: string;
  /** The dashboard JSON as Grafana gets it (dropdowns and datasource variables in place). */
  readonly content: string;
  /** Its `uid` ('' when it has none). */
  readonly uid: string;
  /** Its `title` ('' when it has none). */
  readonly title: string;
  /** Its `version` as an integer (0 when absent or not a number). */
  readonly version: number;
}

/** A template that could not be read, as reported back in `event`. */
export interface DashboardError {
  readonly relationId: number;
  /** The template's id (`file:<stem>`). */
  readonly dashboardId: string;
  /** Why: Python's liblzma wording for a stream it would refuse, else what is wrong. */
  readonly error: string;
}

/** A relation as the requirer reads it. */
export interface GrafanaDashboardRelationView {
  readonly id: number;
  /** The remote application bag. */
  readonly appBag: Readonly<Record<string, string>>;
}

/** A RelationDataError about key `key` of grafana_dashboard bag `bag`. */
export function dashboardError(
  bag: string,
  key: string,
  problem: string,
  code: RelationDataErrorCode = 'BAD_VALUE',
): RelationDataError {
  return new RelationDataError(code, problem, { iface: GRAFANA_DASHBOARD_INTERFACE, bag, key });
}

/** Grafana's variable for the Prometheus datasource a dashboard's viewer picks. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
export const PROMETHEUS_VARIABLE = '${prometheusds}';
/** Grafana's variable for the Loki datasource. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
export const LOKI_VARIABLE = '${lokids}';

/** The Juju topology dropdowns the library adds to a dashboard (`TOPOLOGY_TEMPLATE_DROPDOWNS`). */
export const TOPOLOGY_DROPDOWNS: readonly JsonValue[] = [
  topologyDropdown('juju_model', 'Juju model', 'label_values(up,juju_model)'),
  topologyDropdown(
    'juju_model_uuid',
    'Juju model uuid',
    'label_values(up{juju_model=~"$juju_model"},juju_model_uuid)',
  ),
  topologyDropdown(
    'juju_application',
    'Juju application',
    'label_values(up{juju_model=~"$juju_model",juju_model_uuid=~"$juju_model_uuid"},juju_application)',
  ),
  topologyDropdown(
    'juju_unit',
    'Juju unit',
    'label_values(up{juju_model=~"$juju_model",juju_model_uuid=~"$juju_model_uuid",juju_application=~"$juju_application"},juju_unit)',
  ),
];

/** The datasource variables the library adds (`DATASOURCE_TEMPLATE_DROPDOWNS`). */
export const DATASOURCE_DROPDOWNS: readonly JsonValue[] = [
  datasourceDropdown('prometheusds', 'Prometheus datasource', 'prometheus'),
  datasourceDropdown('lokids', 'Loki datasource', 'loki'),
];

function topologyDropdown(name: string, label: string, query: string): JsonValue {
  return {
    allValue: '.*',
    datasource: PROMETHEUS_VARIABLE,
    definition: query,
    description: null,
    error: null,
    hide: 0,
    includeAll: true,
    label,
    multi: true,
    name,
    query: { query, refId: 'StandardVariableQuery' },
    refresh: 1,
    regex: '',
    skipUrlSync: false,
    sort: 0,
    tagValuesQuery: '',
    tags: [],
    tagsQuery: '',
    type: 'query',
    useTags: false,
  };
}

function datasourceDropdown(name: string, label: string, query: string): JsonValue {
  return {
    description: null,
    error: null,
    hide: 0,
    includeAll: true,
    label,
    multi: true,
    name,
    options: [],
    query,
    refresh: 1,
    regex: '',
    skipUrlSync: false,
    type: 'datasource',
  };
}
