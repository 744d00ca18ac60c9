/**
 * The provider side of grafana_dashboard (`GrafanaDashboardProvider`): the `dashboards` bag a
 * charm with dashboards writes, the uids the library gives them, and Grafana's `event` report
 * as the library reads it.
 * @module
 */
import { createHash } from 'node:crypto';
import type { DataBag } from '../bag.ts';
import { shown } from '../errors.ts';
import { type JsonValue, pythonJson } from '../json.ts';
import { decodeKeys } from '../read.ts';
import { DASHBOARD_BAGS, dashboardError, GRAFANA_DASHBOARD_INTERFACE } from './schema.ts';
import { xzStore } from './xz-store.ts';

/** One dashboard the provider offers. */
export interface ProvidedDashboard {
  /** Required: the template id (`file:<file stem>` for a file, as the library names them). */
  readonly id: string;
  /** Required: the dashboard JSON text. */
  readonly content: string;
  /** Required: the providing charm's name (metadata `name`). */
  readonly charm: string;
  /** Required: the provider's Juju topology (`model`, `model_uuid`, `application`, `unit`). */
  readonly jujuTopology: { readonly [key: string]: JsonValue };
  /** Optional: add the Juju topology dropdowns. Default true (then `juju_topology` is sent). */
  readonly injectDropdowns?: boolean;
  /** Optional: the uid for a dashboard without one. Default {@link dashboardAltUid}. */
  readonly dashboardAltUid?: string;
}

/**
 * The provider's application bag, shaped as the library's `_upset_dashboards_on_relation`
 * writes it: `dashboards` = `{"templates": {id: {charm, content, juju_topology,
 * inject_dropdowns, dashboard_alt_uid}}, "uuid": …}`. `content` is an xz stream (stored, not
 * compressed: see `xzStore`) in base64, which `LZMABase64.decompress` reads. `uuid` makes the
 * bag change on every write, as the library's random uuid4 does; pass a fixed one to write only
 * on change.
 */
export function grafanaDashboardProviderAppBag(
  dashboards: readonly ProvidedDashboard[],
  uuid: string,
): DataBag {
  const templates: Record<string, JsonValue> = {};
  for (const d of dashboards) {
    const inject = d.injectDropdowns ?? true;
    templates[d.id] = {
      charm: d.charm,
      content: xzStore(Buffer.from(d.content, 'utf8')).toString('base64'),
      juju_topology: inject ? d.jujuTopology : {},
      inject_dropdowns: inject,
      dashboard_alt_uid: d.dashboardAltUid ?? dashboardAltUid(d.charm, d.id),
    };
  }
  return { dashboards: pythonJson({ templates, uuid }) };
}

/** The library's `_generate_alt_uid`: shake-256 of `<charm>-<template id>`, 16 hex digits. */
export function dashboardAltUid(charm: string, id: string): string {
  return createHash('shake256', { outputLength: 8 }).update(`${charm}-${id}`).digest('hex');
}

/**
 * cosl's `DashboardPath40UID.generate(charm, path)`: the 40-hex-digit uid the library gives a
 * dashboard file (from the charm's name and the file's path relative to the charm).
 */
export function dashboardPath40Uid(...parts: readonly string[]): string {
  return createHash('shake256', { outputLength: 20 }).update(parts.join('-')).digest('hex');
}

/** Grafana's report, as the provider library reads it. */
export interface DashboardStatus {
  /** False when some template could not be read. */
  readonly valid: boolean;
  /** Each error: which template, and why. */
  readonly errors: readonly { readonly dashboardId: string; readonly error: string }[];
}

/**
 * Grafana's `event`, read as `_on_grafana_dashboard_relation_changed` reads it: undefined when
 * absent or `{}`; `valid` defaults to true, and is false whenever there are errors. Throws
 * `RelationDataError` when `event` is not a JSON object.
 */
export function readGrafanaDashboardEventBag(bag: DataBag): DashboardStatus | undefined {
  const ref = { iface: GRAFANA_DASHBOARD_INTERFACE, bag: DASHBOARD_BAGS.grafanaApp };
  const event = decodeKeys(bag, ['event'], ref).get('event');
  if (event === undefined || event === null) return undefined;
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw dashboardError(ref.bag, 'event', `must be a JSON object, not ${shown(event)}`);
  }
  if (Object.keys(event).length === 0) return undefined;
  const e = event as { valid?: unknown; errors?: unknown };
  const errors = (Array.isArray(e.errors) ? e.errors : []).map((item) => {
    const i = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    return { dashboardId: String(i.dashboard_id ?? ''), error: String(i.error ?? '') };
  });
  const valid = (e.valid === undefined ? true : Boolean(e.valid)) && errors.length === 0;
  return { valid, errors };
}
