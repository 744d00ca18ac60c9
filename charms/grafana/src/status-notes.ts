/**
 * What the active status adds about relation data the charm could not use: unreadable
 * dashboards and datasource relations. They are reported, never block the rest.
 * @module
 */
import type { GrafanaDashboardsRead, GrafanaSourcesState } from '@charm-ts/relations';

/** Short notes for the status (each cut to keep the status readable). */
export function statusNotes(
  sources: GrafanaSourcesState,
  dashboards: GrafanaDashboardsRead,
): string[] {
  const notes: string[] = [];
  const bad = [
    ...dashboards.errors.map(
      (e) => `grafana-dashboard:${e.relationId} ${e.dashboardId}: ${e.error}`,
    ),
    ...dashboards.problems.map((p) => `grafana-dashboard:${p.relationId}: ${p.problem}`),
  ];
  if (bad.length > 0) {
    notes.push(
      `${bad.length} dashboard${bad.length === 1 ? '' : 's'} unreadable (${cut(bad[0] as string)}${bad.length > 1 ? ', …' : ''})`,
    );
  }
  if (sources.problems.length > 0) {
    const first = sources.problems[0] as { relationId: number; problem: string };
    notes.push(
      `${sources.problems.length} grafana-source relation${sources.problems.length === 1 ? '' : 's'} unreadable (grafana-source:${first.relationId}: ${cut(first.problem)})`,
    );
  }
  return notes;
}

function cut(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
