/**
 * `charm-sim status`: the model as `juju status` shows it, as data and as text.
 * @module
 */
import { JUJU_VERSION } from './hook-env.ts';
import type { AppState, ModelState, Status } from './model.ts';

/** One application row. */
export interface AppView {
  name: string;
  version: string;
  status: string;
  message: string;
  scale: number;
  charm: string;
  revision: number;
}

/** One unit row. */
export interface UnitView {
  name: string;
  leader: boolean;
  workload: string;
  agent: string;
  address: string;
  ports: string[];
  message: string;
  /** Hooks waiting to run on the unit (the one running, if a command stopped in it, too). */
  queued: number;
  /** The next of them, e.g. `install`. */
  next?: string;
}

/** One relation row. */
export interface RelationView {
  id: number;
  provider: string;
  requirer: string;
  interface: string;
  type: 'regular' | 'peer';
}

/** What `status` shows. */
export interface StatusView {
  model: string;
  apps: AppView[];
  units: UnitView[];
  relations: RelationView[];
}

const SEVERITY = ['error', 'blocked', 'maintenance', 'waiting', 'active', 'unknown'];

/**
 * The status an application shows: the one its leader set, else (as Juju derives it) the most
 * severe of its units' workload statuses; undefined when there is neither.
 */
export function applicationStatus(model: ModelState, app: AppState): Status | undefined {
  if (app.status && app.status.status !== 'unknown') return app.status;
  const unitStatuses = app.units
    .map((u) => model.units[u]?.workloadStatus)
    .filter((s) => s !== undefined);
  unitStatuses.sort((a, b) => SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status));
  return unitStatuses[0] ?? app.status;
}

/** Builds the status view of a model. */
export function statusView(model: ModelState): StatusView {
  const apps = Object.values(model.apps).map((app) => {
    const shown = applicationStatus(model, app);
    return {
      name: app.name,
      version: app.version,
      status: shown?.status ?? 'unknown',
      message: shown?.message ?? '',
      scale: app.units.length,
      charm: app.charm.name,
      revision: app.charmRevision,
    };
  });
  const units = Object.values(model.units).map((unit) => {
    const pending = [...(unit.running ? [unit.running] : []), ...unit.queue];
    return {
      name: unit.name,
      leader: model.apps[unit.app]?.leader === unit.name,
      workload: unit.workloadStatus.status,
      agent: unit.agentStatus.status,
      address: unit.address,
      ports: [...unit.ports],
      message: unit.workloadStatus.message,
      queued: pending.length,
      ...(pending[0] ? { next: pending[0].hook } : {}),
    };
  });
  const relations = Object.values(model.relations)
    .filter((rel) => !rel.dying)
    .map((rel) => {
      const [a, b] = rel.endpoints;
      const provides = (end: typeof a) =>
        (end?.endpoint ?? '') in (model.apps[end?.app ?? '']?.charm.endpoints.provides ?? {});
      const provider = b && provides(b) ? b : a;
      const requirer = b ? (provider === a ? b : a) : a;
      return {
        id: rel.id,
        provider: `${provider?.app}:${provider?.endpoint}`,
        requirer: `${requirer?.app}:${requirer?.endpoint}`,
        interface: rel.interface,
        type: (b ? 'regular' : 'peer') as 'regular' | 'peer',
      };
    });
  return { model: model.name, apps, units, relations };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** Renders the view the way `juju status` lays it out. */
export function formatStatus(view: StatusView): string {
  const parts = [
    table([
      ['Model', 'Controller', 'Cloud/Region', 'Version'],
      [view.model, 'charm-sim', 'local/pods', JUJU_VERSION],
    ]),
  ];
  if (view.apps.length) {
    parts.push(
      table([
        ['App', 'Version', 'Status', 'Scale', 'Charm', 'Rev', 'Message'],
        ...view.apps.map((a) => [
          a.name,
          a.version,
          a.status,
          String(a.scale),
          a.charm,
          String(a.revision),
          a.message,
        ]),
      ]),
    );
  }
  if (view.units.length) {
    parts.push(
      table([
        ['Unit', 'Workload', 'Agent', 'Address', 'Ports', 'Message'],
        ...view.units.map((u) => [
          `${u.name}${u.leader ? '*' : ''}`,
          u.workload,
          u.agent,
          u.address,
          u.ports.join(','),
          u.message,
        ]),
      ]),
    );
  }
  const waiting = view.units.filter((u) => u.queued > 0);
  if (waiting.length) {
    const list = waiting.map((u) => `${u.name} (${u.queued}, next ${u.next})`).join(', ');
    parts.push(
      `Hooks queued: ${list}. The next charm-sim command that changes the model runs them; charm-sim resolve UNIT runs a stuck unit's now.`,
    );
  }
  if (view.relations.length) {
    parts.push(
      table([
        ['Integration provider', 'Requirer', 'Interface', 'Type'],
        ...view.relations.map((r) => [r.provider, r.requirer, r.interface, r.type]),
      ]),
    );
  }
  return `${parts.join('\n\n')}\n`;
}
