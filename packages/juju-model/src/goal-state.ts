/**
 * goal-state: the units Juju means the application to have, and each relation's remote
 * applications and units.
 * @module
 */
import type { HookContext } from './context.ts';

/** A unit's or relation's goal status. */
export interface GoalStatusRecord {
  readonly status: string;
  readonly since?: string;
}

/** What goal-state answers. */
export interface GoalStateRecord {
  readonly units: Readonly<Record<string, GoalStatusRecord>>;
  /** Endpoint → application or unit name → status. */
  readonly relations: Readonly<Record<string, Readonly<Record<string, GoalStatusRecord>>>>;
}

function since(value: string | undefined): { since?: string } {
  return value === undefined ? {} : { since: value };
}

/** `goal-state`. A unit the model has no record of is `active`. */
export function goalState(ctx: HookContext): GoalStateRecord {
  const now = new Date(ctx.host.now()).toISOString();
  const units: Record<string, GoalStatusRecord> = {};
  for (const name of ctx.app.units) {
    const unit = ctx.model.units[name];
    const status = !unit
      ? 'active'
      : unit.dying
        ? 'dying'
        : unit.failedHook
          ? 'error'
          : unit.workloadStatus.status;
    units[name] = { status, ...since(unit?.workloadStatus.since) };
  }
  const relations: Record<string, Record<string, GoalStatusRecord>> = {};
  for (const rel of Object.values(ctx.draft.relations)) {
    if (!ctx.knows(rel)) continue;
    const endpoint = ctx.endpointOf(rel);
    const bucket = relations[endpoint] ?? {};
    relations[endpoint] = bucket;
    for (const end of rel.endpoints) {
      if (end.app === ctx.app.name && rel.endpoints.length > 1) continue;
      bucket[end.app] = { status: 'joined', since: now };
      for (const unit of ctx.model.apps[end.app]?.units ?? []) {
        if (unit !== ctx.unit.name) bucket[unit] = { status: 'active', since: now };
      }
    }
  }
  return { units, relations };
}
