/**
 * What the simulator's commands (deploy.ts, relate.ts, run-action.ts, unit-commands.ts,
 * model-commands.ts) need from the open model, and the lookups that name what is known when
 * an application or unit is not.
 * @module
 */
import { SimError } from './errors.ts';
import type { AppState, ModelState, UnitState } from './model.ts';
import type { SchedulerHost } from './scheduler.ts';

/** The open model, as a command sees it. */
export interface CommandHost extends SchedulerHost {
  /** Runs every queued hook (reviving the pods first, once per process). */
  settle(): Promise<void>;
  /** Whether this process has already checked that every pod is still running. */
  readonly revived: boolean;
}

/**
 * The application `name`.
 * @throws SimError `UNKNOWN_APP` listing the known applications.
 */
export function findApp(model: ModelState, name: string): AppState {
  const app = model.apps[name];
  if (!app) {
    const known = Object.keys(model.apps).sort().join(', ') || '(none deployed)';
    throw new SimError(
      'UNKNOWN_APP',
      `application "${name}" not found: known applications: ${known}`,
    );
  }
  return app;
}

/**
 * The unit `name` (`app/0`).
 * @throws SimError `UNKNOWN_UNIT` listing the known units.
 */
export function findUnit(model: ModelState, name: string): UnitState {
  const unit = model.units[name];
  if (!unit) {
    const known = Object.keys(model.units).sort().join(', ') || '(none)';
    throw new SimError('UNKNOWN_UNIT', `unit "${name}" not found: known units: ${known}`);
  }
  return unit;
}

/**
 * The units a command targets: every unit, one application's (`app`) or one (`app/0`).
 * @throws SimError `UNKNOWN_APP`, `UNKNOWN_UNIT`.
 */
export function targetUnits(model: ModelState, target?: string): string[] {
  if (target === undefined) return Object.keys(model.units);
  if (target.includes('/')) return [findUnit(model, target).name];
  return [...findApp(model, target).units];
}
