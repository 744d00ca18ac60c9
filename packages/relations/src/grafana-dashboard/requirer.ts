/**
 * The Grafana side of grafana_dashboard (`GrafanaDashboardConsumer`): the templates a provider
 * offers, decoded and converted as the library does, and the `event` bag reporting those that
 * cannot be read. Unlike the library, one bad template does not drop the relation's others.
 * @module
 */
import type { DataBag } from '../bag.ts';
import { shown } from '../errors.ts';
import { type JsonValue, pythonJson } from '../json.ts';
import { decodeKeys } from '../read.ts';
import { convertDashboardFields } from './convert.ts';
import {
  DASHBOARD_BAGS,
  type DashboardError,
  type DashboardTemplate,
  dashboardError,
  GRAFANA_DASHBOARD_INTERFACE,
  type GrafanaDashboard,
  type GrafanaDashboardRelationView,
} from './schema.ts';
import { DashboardContentError, decodeLzmaBase64 } from './xz.ts';

type JsonObject = { [key: string]: JsonValue | undefined };

/**
 * The provider's application bag: its templates by id, in the bag's order; undefined when
 * there is no `dashboards` key (the library: "No dashboard data found"). Throws
 * `RelationDataError` when `dashboards` is not JSON or has no `templates` object (where the
 * library raises). A template that is not an object with a string `content` is kept as a
 * template error, not thrown: see {@link readGrafanaDashboards}.
 */
export function readGrafanaDashboardAppBag(
  bag: DataBag,
): Map<string, DashboardTemplate | { readonly error: string }> | undefined {
  const ref = { iface: GRAFANA_DASHBOARD_INTERFACE, bag: DASHBOARD_BAGS.providerApp };
  if (!bag.dashboards) return undefined;
  const data = decodeKeys(bag, ['dashboards'], ref).get('dashboards');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw dashboardError(ref.bag, 'dashboards', `must be a JSON object, not ${shown(data)}`);
  }
  const templates = (data as JsonObject).templates;
  if (templates === undefined) {
    throw dashboardError(ref.bag, 'dashboards.templates', 'is missing', 'MISSING_KEY');
  }
  if (typeof templates !== 'object' || templates === null || Array.isArray(templates)) {
    throw dashboardError(
      ref.bag,
      'dashboards.templates',
      `must be a JSON object, not ${shown(templates)}`,
    );
  }
  const out = new Map<string, DashboardTemplate | { readonly error: string }>();
  for (const [id, raw] of Object.entries(templates)) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      out.set(id, { error: 'the template is not a JSON object' });
      continue;
    }
    const t = raw as JsonObject;
    if (typeof t.content !== 'string') {
      out.set(id, { error: "the template has no 'content' string" });
      continue;
    }
    const topology = t.juju_topology;
    out.set(id, {
      charm: typeof t.charm === 'string' ? t.charm : '',
      content: t.content,
      jujuTopology:
        typeof topology === 'object' && topology !== null && !Array.isArray(topology)
          ? (topology as { [key: string]: JsonValue })
          : {},
      // The library's template.get("inject_dropdowns", True), read for its truthiness.
      injectDropdowns: t.inject_dropdowns === undefined ? true : Boolean(t.inject_dropdowns),
      ...(typeof t.dashboard_alt_uid === 'string' && { dashboardAltUid: t.dashboard_alt_uid }),
    });
  }
  return out;
}

/**
 * One template rendered as Grafana's side of the library renders it: decoded, given its
 * `dashboard_alt_uid` when it has no uid, converted (dropdowns, datasource variables), and
 * written back as `json.dumps` writes it. Throws `DashboardContentError` for content that is
 * not base64 + xz + UTF-8 + a JSON object.
 */
export async function renderDashboard(
  template: DashboardTemplate,
): Promise<{ content: string; uid: string; title: string; version: number }> {
  const text = await decodeLzmaBase64(template.content);
  let dashboard: unknown;
  try {
    dashboard = JSON.parse(text);
  } catch (error) {
    throw new DashboardContentError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof dashboard !== 'object' || dashboard === null || Array.isArray(dashboard)) {
    throw new DashboardContentError('the dashboard is not a JSON object');
  }
  const d = dashboard as JsonObject;
  if (!d.uid && template.dashboardAltUid !== undefined) d.uid = template.dashboardAltUid;
  convertDashboardFields(d, template.injectDropdowns);
  return {
    content: pythonJson(d as JsonValue),
    uid: typeof d.uid === 'string' ? d.uid : d.uid ? String(d.uid) : '',
    title: typeof d.title === 'string' ? d.title : '',
    version: dashboardVersion(d.version),
  };
}

/** What {@link readGrafanaDashboards} found. */
export interface GrafanaDashboardsRead {
  /** Dashboards to provision: one per uid (the highest version, then relation id, content). */
  readonly dashboards: readonly GrafanaDashboard[];
  /** Templates that could not be read; their relation's other templates still count. */
  readonly errors: readonly DashboardError[];
  /** Relations whose `dashboards` bag could not be read at all, with why. */
  readonly problems: readonly { readonly relationId: number; readonly problem: string }[];
  /** Dashboards left out for having no uid (the library logs and omits them too). */
  readonly withoutUid: readonly { readonly relationId: number; readonly id: string }[];
}

/**
 * Every dashboard the relations offer, rendered (see {@link renderDashboard}). Deduplicated by
 * uid as the library's `dashboards` property does: the highest `version`, then the highest
 * relation id, then the greater content wins.
 */
export async function readGrafanaDashboards(
  relations: readonly GrafanaDashboardRelationView[],
): Promise<GrafanaDashboardsRead> {
  const errors: DashboardError[] = [];
  const problems: { relationId: number; problem: string }[] = [];
  const withoutUid: { relationId: number; id: string }[] = [];
  const byUid = new Map<string, GrafanaDashboard>();
  for (const relation of [...relations].sort((a, b) => a.id - b.id)) {
    let templates: ReturnType<typeof readGrafanaDashboardAppBag>;
    try {
      templates = readGrafanaDashboardAppBag(relation.appBag);
    } catch (error) {
      problems.push({ relationId: relation.id, problem: (error as Error).message });
      continue;
    }
    for (const [id, template] of templates ?? []) {
      if ('error' in template) {
        errors.push({ relationId: relation.id, dashboardId: id, error: template.error });
        continue;
      }
      let rendered: Awaited<ReturnType<typeof renderDashboard>>;
      try {
        rendered = await renderDashboard(template);
      } catch (error) {
        if (!(error instanceof DashboardContentError)) throw error;
        errors.push({ relationId: relation.id, dashboardId: id, error: error.message });
        continue;
      }
      if (!rendered.uid.trim()) {
        withoutUid.push({ relationId: relation.id, id });
        continue;
      }
      const dashboard: GrafanaDashboard = {
        relationId: relation.id,
        id,
        charm: template.charm,
        ...rendered,
      };
      const kept = byUid.get(rendered.uid);
      if (!kept || wins(dashboard, kept)) byUid.set(rendered.uid, dashboard);
    }
  }
  return { dashboards: [...byUid.values()], errors, problems, withoutUid };
}

/**
 * Grafana's report of unreadable templates on one relation, as the library writes it:
 * `event` = `{"errors": [{"dashboard_id": …, "error": …}]}`. With no errors, `{"errors": []}`
 * (which the provider library reads as "valid"); write that only to clear an earlier report.
 */
export function grafanaDashboardEventBag(errors: readonly DashboardError[]): DataBag {
  return {
    event: pythonJson({
      errors: errors.map((e) => ({ dashboard_id: e.dashboardId, error: e.error })),
    }),
  };
}

function wins(a: GrafanaDashboard, b: GrafanaDashboard): boolean {
  if (a.version !== b.version) return a.version > b.version;
  if (a.relationId !== b.relationId) return a.relationId > b.relationId;
  return a.content > b.content;
}

/** Python's `int(d["version"])`, 0 when that would fail. */
function dashboardVersion(value: JsonValue | undefined): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value))
    return Number.parseInt(value, 10);
  return 0;
}
