/**
 * grafana_dashboard's Grafana side as a library with events of its own, over the data
 * functions: `GrafanaDashboardRequirer` reads and renders every relation's templates, reports
 * the unreadable ones back in the application bag (leader), and emits `dashboardsChanged`.
 * @module
 */
import { createHash } from 'node:crypto';
import { Library, type LibraryParent, type Relation, type RelationEvent } from '@charm-ts/ops';
import { bagChanges } from '../bag.ts';
import { pythonJson } from '../json.ts';
import { readGrafanaDashboardEventBag } from './provider.ts';
import {
  type GrafanaDashboardsRead,
  grafanaDashboardEventBag,
  readGrafanaDashboards,
} from './requirer.ts';

/** Events of {@link GrafanaDashboardRequirer}. */
export interface GrafanaDashboardRequirerEvents {
  /** The dashboards to provision changed: their uids now; how many templates are unreadable. */
  dashboardsChanged: { uids: string[]; errors: number };
}

/** Options of {@link GrafanaDashboardRequirer}. */
export interface GrafanaDashboardRequirerOptions {
  /** Optional: the endpoint. Default `grafana-dashboard`. */
  readonly endpoint?: string;
}

/**
 * Grafana's side: every unit renders the dashboards from the relations itself (no leader-only
 * state); the leader writes `event` with a relation's unreadable templates (and clears an
 * earlier report once they read), as today's Grafana reports them.
 */
export class GrafanaDashboardRequirer extends Library<GrafanaDashboardRequirerEvents> {
  readonly endpoint: string;
  readonly #stored: { fingerprint: string };
  #read: Promise<GrafanaDashboardsRead> | undefined;
  #broken: number | undefined;

  constructor(parent: LibraryParent, options: GrafanaDashboardRequirerOptions = {}) {
    const endpoint = options.endpoint ?? 'grafana-dashboard';
    super(parent, 'grafana-dashboard-requirer', endpoint);
    this.endpoint = endpoint;
    this.#stored = this.storedState({ fingerprint: '' });
    const on = this.framework.on;
    const refresh = (e: RelationEvent) => this.#refresh(e);
    on.relationChanged(endpoint, refresh);
    on.relationBroken(endpoint, refresh);
    on.leaderElected(() => this.#refresh());
    on.upgradeCharm(() => this.#refresh());
  }

  /** Every dashboard, rendered (once per dispatch; a relation being broken is left out). */
  read(): Promise<GrafanaDashboardsRead> {
    this.#read ??= this.#load();
    return this.#read;
  }

  /** As the leader, reports each relation's unreadable templates in `event` (only changes). */
  async publishErrors(): Promise<void> {
    if (!(await this.model.unit.isLeader())) return;
    const { errors } = await this.read();
    for (const relation of await this.#relations()) {
      const mine = errors.filter((e) => e.relationId === relation.id);
      const have = await relation.localAppData();
      let reported: ReturnType<typeof readGrafanaDashboardEventBag>;
      try {
        reported = readGrafanaDashboardEventBag(have);
      } catch {
        reported = { valid: false, errors: [] };
      }
      // Nothing to report and nothing reported: leave the bag alone, as the library does.
      if (mine.length === 0 && (reported === undefined || reported.valid)) continue;
      const changes = bagChanges({ event: have.event ?? '' }, grafanaDashboardEventBag(mine));
      if (Object.keys(changes).length > 0) await relation.setAppData(changes);
    }
  }

  async #refresh(event?: RelationEvent): Promise<void> {
    if (event?.kind === 'relation-broken') this.#broken = event.relation.id;
    this.#read = undefined;
    const read = await this.read();
    const fingerprint = createHash('sha256')
      .update(pythonJson({ d: read.dashboards, e: read.errors } as never))
      .digest('hex')
      .slice(0, 16);
    if (fingerprint !== this.#stored.fingerprint) {
      this.#stored.fingerprint = fingerprint;
      await this.emit('dashboardsChanged', {
        uids: read.dashboards.map((d) => d.uid),
        errors: read.errors.length,
      });
    }
    await this.publishErrors();
  }

  async #load(): Promise<GrafanaDashboardsRead> {
    const views = [];
    for (const relation of await this.#relations()) {
      views.push({ id: relation.id, appBag: await relation.remoteAppData() });
    }
    return readGrafanaDashboards(views);
  }

  async #relations(): Promise<Relation[]> {
    return (await this.model.relations(this.endpoint)).filter((r) => r.id !== this.#broken);
  }
}
