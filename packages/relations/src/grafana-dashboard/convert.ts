/**
 * What Grafana's side of grafana_dashboard does to a dashboard before provisioning it (the
 * library's `CharmedDashboard._convert_dashboard_fields`): add the Juju topology dropdowns and
 * the `prometheusds` / `lokids` datasource variables, point panels at those variables, and drop
 * the dashboard's own datasource variables that were replaced. Label injection into queries
 * needs `cos-tool`, which the library skips when it is absent; so does this module.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DATASOURCE_DROPDOWNS,
  LOKI_VARIABLE,
  PROMETHEUS_VARIABLE,
  TOPOLOGY_DROPDOWNS,
} from './schema.ts';

/** A parsed JSON object, changed in place. */
type JsonObject = { [key: string]: unknown };

const REPLACEMENTS = new Map([
  ['loki', LOKI_VARIABLE],
  ['prometheus', PROMETHEUS_VARIABLE],
]);
const VARIABLES = new Set(REPLACEMENTS.values());

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `dashboard` (a parsed dashboard, changed in place) with dropdowns and datasource variables,
 * as the library converts it. `injectDropdowns` false adds only the datasource variables.
 */
export function convertDashboardFields(
  dashboard: JsonObject,
  injectDropdowns: boolean,
): JsonObject {
  const dropdowns = structuredClone(
    injectDropdowns ? [...TOPOLOGY_DROPDOWNS, ...DATASOURCE_DROPDOWNS] : [...DATASOURCE_DROPDOWNS],
  ) as unknown[];
  // Datasource variable name → its type ("prometheus", "loki", …).
  const datasources = new Map<string, string>();
  const inputs = dashboard.__inputs;
  if (inputs !== undefined) {
    for (const input of Array.isArray(inputs) ? inputs : []) {
      if (isObject(input) && input.type === 'datasource') {
        datasources.set(String(input.name), String(input.pluginName).toLowerCase());
      }
    }
    delete dashboard.__inputs;
  }
  const templating = dashboard.templating;
  const existingTemplates = templating !== undefined;
  if (!existingTemplates) {
    dashboard.templating = { list: dropdowns };
  } else {
    const list = templateList(dashboard);
    for (const variable of list) {
      if (isObject(variable) && variable.type === 'datasource') {
        datasources.set(String(variable.name), String(variable.query).toLowerCase());
      }
    }
    const names = new Set(list.map((v) => (isObject(v) ? v.name : undefined)));
    for (const dropdown of dropdowns) {
      const name = (dropdown as JsonObject).name;
      if (!names.has(name)) {
        list.unshift(dropdown);
        names.add(name);
      }
    }
  }
  replaceTemplateFields(dashboard, datasources, existingTemplates);
  return dashboard;
}

function templateList(dashboard: JsonObject): unknown[] {
  const templating = dashboard.templating;
  if (!isObject(templating)) return [];
  if (!Array.isArray(templating.list)) templating.list = [];
  return templating.list as unknown[];
}

function replaceTemplateFields(
  dashboard: JsonObject,
  datasources: Map<string, string>,
  existingTemplates: boolean,
): void {
  const used: string[] = [];
  if (datasources.size > 0 || !existingTemplates) {
    const panels = dashboard.panels;
    if (Array.isArray(panels) && panels.length > 0) {
      templatePanels(panels, used, existingTemplates, datasources);
    }
    const rows = dashboard.rows;
    if (Array.isArray(rows) && rows.length > 0) {
      for (const row of rows) {
        if (isObject(row) && Array.isArray(row.panels)) {
          templatePanels(row.panels, used, existingTemplates, datasources);
        }
      }
    }
  }
  // The dashboard's own datasource variables that panels no longer use go, ours stay.
  const list = templateList(dashboard);
  const deletions = list.filter(
    (v) =>
      isObject(v) &&
      typeof v.name === 'string' &&
      v.name &&
      used.includes(v.name) &&
      !DATASOURCE_DROPDOWNS.some((d) => isDeepStrictEqual(d, v)),
  );
  for (const deletion of deletions) {
    const at = list.findIndex((v) => isDeepStrictEqual(v, deletion));
    if (at >= 0) list.splice(at, 1);
  }
}

function templatePanels(
  panels: unknown[],
  used: string[],
  existingTemplates: boolean,
  datasources: Map<string, string>,
): void {
  for (const panel of panels) {
    if (!isObject(panel) || !truthy(panel.datasource)) continue;
    const datasource = panel.datasource;
    if (!existingTemplates) {
      if (typeof datasource === 'string') {
        if (datasource.includes('loki')) panel.datasource = LOKI_VARIABLE;
        else if (!datasource.includes('grafana')) panel.datasource = PROMETHEUS_VARIABLE;
      } else if (isObject(datasource)) {
        if (datasource.type === 'loki') datasource.uid = LOKI_VARIABLE;
        else if (datasource.type === 'prometheus') datasource.uid = PROMETHEUS_VARIABLE;
      }
      continue;
    }
    if (typeof datasource === 'string') {
      if (VARIABLES.has(datasource.toLowerCase())) continue;
      const name = datasource.replace(/[${}]/g, '');
      const type = datasources.get(name);
      if (type === undefined) continue;
      const replacement = REPLACEMENTS.get(type);
      if (replacement) {
        used.push(name);
        panel.datasource = replacement;
      }
    } else if (isObject(datasource)) {
      const uid = typeof datasource.uid === 'string' ? datasource.uid : '';
      if (VARIABLES.has(uid.toLowerCase())) continue;
      const name = uid.replace(/[${}]/g, '');
      const type = datasources.get(name);
      if (type === undefined) continue;
      const replacement = REPLACEMENTS.get(type);
      if (replacement) {
        used.push(name);
        datasource.uid = replacement;
      }
    }
  }
}

/** Python's truthiness for a JSON value. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    return false;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
