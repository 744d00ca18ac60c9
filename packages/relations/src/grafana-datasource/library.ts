/**
 * grafana_datasource as libraries with events of their own, over the data functions:
 * `GrafanaSourceRequirer` for Grafana (reads every source, keeps the names to delete, answers
 * as the leader) and `GrafanaSourceProvider` for a datasource.
 * @module
 */
import { createHash } from 'node:crypto';
import { Library, type LibraryParent, type Relation, type RelationEvent } from '@charm-ts/ops';
import { bagChanges, type DataBag } from '../bag.ts';
import { pythonJson } from '../json.ts';
import {
  grafanaSourceProviderAppBag,
  grafanaSourceProviderUnitBag,
  readGrafanaSourceAnswerBag,
} from './provider.ts';
import { type GrafanaSourcesRead, grafanaSourceAnswerBag, readGrafanaSources } from './requirer.ts';
import type {
  GrafanaSource,
  GrafanaSourceAnswer,
  GrafanaSourceData,
  GrafanaSourceRelationView,
} from './schema.ts';

/** Events of {@link GrafanaSourceRequirer}. */
export interface GrafanaSourceRequirerEvents {
  /** The datasources changed: their names now, and the names that went (to delete). */
  sourcesChanged: { names: string[]; removed: string[] };
}

/** Options of {@link GrafanaSourceRequirer}. */
export interface GrafanaSourceRequirerOptions {
  /** Optional: the endpoint. Default `grafana-source`. */
  readonly endpoint?: string;
  /** Required: what Grafana answers its sources (the leader writes it on every relation). */
  readonly answer: () => Promise<Omit<GrafanaSourceAnswer, 'datasourceUids'>>;
}

/** What the requirer knows: the sources, the names to delete, the relations it cannot read. */
export interface GrafanaSourcesState extends GrafanaSourcesRead {
  /** Names of datasources that went away and are not back: Grafana's `deleteDatasources`. */
  readonly toDelete: readonly string[];
}

/**
 * Grafana's side: every unit reads the sources from the relations itself (followers need no
 * leader-only state), keeps the names of sources that went away in its own stored state until
 * they come back (Grafana deletes a provisioned datasource only when told by name), and the
 * leader answers each source application with the names it gave its units. `sourcesChanged`
 * fires when the set of datasources changes.
 */
export class GrafanaSourceRequirer extends Library<GrafanaSourceRequirerEvents> {
  readonly endpoint: string;
  readonly #answer: GrafanaSourceRequirerOptions['answer'];
  readonly #stored: { names: string[]; toDelete: string[]; fingerprint: string };
  #read: Promise<GrafanaSourcesState> | undefined;
  #broken: number | undefined;
  #departing: { relation: number; unit: string } | undefined;

  constructor(parent: LibraryParent, options: GrafanaSourceRequirerOptions) {
    const endpoint = options.endpoint ?? 'grafana-source';
    super(parent, 'grafana-source-requirer', endpoint);
    this.endpoint = endpoint;
    this.#answer = options.answer;
    this.#stored = this.storedState({
      names: [] as string[],
      toDelete: [] as string[],
      fingerprint: '',
    });
    const on = this.framework.on;
    const refresh = (e: RelationEvent) => this.#refresh(e);
    on.relationJoined(endpoint, refresh);
    on.relationChanged(endpoint, refresh);
    on.relationDeparted(endpoint, refresh);
    on.relationBroken(endpoint, refresh);
    on.leaderElected(() => this.#refresh());
    on.upgradeCharm(() => this.#refresh());
  }

  /**
   * The sources now, the names to delete and the unreadable relations (read once per dispatch;
   * a relation being broken and a unit departing in this hook are left out).
   */
  read(): Promise<GrafanaSourcesState> {
    this.#read ??= this.#load();
    return this.#read;
  }

  /** As the leader, writes the answer on every relation in today's format (only what changed). */
  async publishAnswers(): Promise<void> {
    if (!(await this.model.unit.isLeader())) return;
    const { sources } = await this.read();
    const answer = await this.#answer();
    for (const relation of await this.#relations()) {
      const mine = sources.filter(
        (s) => s.relationId === relation.id && s.format === 'grafana_source',
      );
      if (mine.length === 0) continue;
      const want = grafanaSourceAnswerBag({
        ...answer,
        datasourceUids: Object.fromEntries(mine.map((s) => [s.unit, s.name])),
      });
      const changes = bagChanges(await relation.localAppData(), want);
      if (Object.keys(changes).length > 0) await relation.setAppData(changes);
    }
  }

  async #refresh(event?: RelationEvent): Promise<void> {
    if (event?.kind === 'relation-broken') this.#broken = event.relation.id;
    if (event?.kind === 'relation-departed' && event.departingUnit) {
      this.#departing = { relation: event.relation.id, unit: event.departingUnit };
    }
    this.#read = undefined;
    const state = await this.read();
    const fingerprint = sourcesFingerprint(state.sources);
    if (fingerprint !== this.#stored.fingerprint) {
      const names = state.sources.map((s) => s.name);
      const removed = this.#stored.names.filter((n) => !names.includes(n));
      this.#stored.fingerprint = fingerprint;
      this.#stored.names = names;
      this.#stored.toDelete = [...state.toDelete];
      await this.emit('sourcesChanged', { names, removed });
    }
    await this.publishAnswers();
  }

  async #load(): Promise<GrafanaSourcesState> {
    const views: GrafanaSourceRelationView[] = [];
    for (const relation of await this.#relations()) {
      const units: Record<string, DataBag> = {};
      for (const unit of await relation.units()) {
        if (this.#departing?.relation === relation.id && this.#departing.unit === unit) continue;
        units[unit] = await relation.remoteUnitData(unit);
      }
      views.push({
        id: relation.id,
        app: await relation.app(),
        appBag: await relation.remoteAppData(),
        units,
      });
    }
    const read = readGrafanaSources(views);
    const names = new Set(read.sources.map((s) => s.name));
    // Names that went since the last look, plus those still to delete, minus those back.
    const gone = this.#stored.names.filter((n) => !names.has(n));
    const toDelete = [...new Set([...this.#stored.toDelete, ...gone])].filter((n) => !names.has(n));
    return { ...read, toDelete };
  }

  async #relations(): Promise<Relation[]> {
    return (await this.model.relations(this.endpoint)).filter((r) => r.id !== this.#broken);
  }
}

/** Events of {@link GrafanaSourceProvider}. */
export interface GrafanaSourceProviderEvents {
  /** A Grafana answered (or changed its answer): the names it gave this app's units. */
  answered: { relation: Relation; answer: GrafanaSourceAnswer };
}

/** Options of {@link GrafanaSourceProvider}. */
export interface GrafanaSourceProviderOptions {
  /** Optional: the endpoint. Default `grafana-source`. */
  readonly endpoint?: string;
  /** Required: Grafana's datasource type (`prometheus`, `loki`, …). */
  readonly type: string;
  /** Required: the URL Grafana reaches this unit at; undefined: this unit is no datasource. */
  readonly url: () => Promise<string | undefined>;
  /** Optional: `jsonData`. */
  readonly extraFields?: GrafanaSourceData['extraFields'];
  /** Optional: `secureJsonData`. */
  readonly secureExtraFields?: GrafanaSourceData['secureExtraFields'];
}

/**
 * A datasource's side: publishes the application bag (leader) and this unit's URL on every
 * relation event (and on `publish()`, e.g. from pebble-ready when the address may have
 * changed), and emits `answered` when a Grafana's answer changes.
 */
export class GrafanaSourceProvider extends Library<GrafanaSourceProviderEvents> {
  readonly endpoint: string;
  readonly #options: GrafanaSourceProviderOptions;
  readonly #stored: { answers: Record<string, string> };

  constructor(parent: LibraryParent, options: GrafanaSourceProviderOptions) {
    const endpoint = options.endpoint ?? 'grafana-source';
    super(parent, 'grafana-source-provider', endpoint);
    this.endpoint = endpoint;
    this.#options = options;
    this.#stored = this.storedState({ answers: {} as Record<string, string> });
    const on = this.framework.on;
    on.relationJoined(endpoint, (e) => this.#publishOn(e.relation));
    on.relationChanged(endpoint, (e) => this.#changed(e.relation));
    on.relationBroken(endpoint, (e) => {
      delete this.#stored.answers[String(e.relation.id)];
    });
    on.leaderElected(() => this.publish());
    on.upgradeCharm(() => this.publish());
  }

  /** Publishes on every relation (only what changed). */
  async publish(): Promise<void> {
    for (const relation of await this.model.relations(this.endpoint))
      await this.#publishOn(relation);
  }

  /** Grafana's answer on each relation that has one. Throws `RelationDataError` for a bad one. */
  async answers(): Promise<Map<number, GrafanaSourceAnswer>> {
    const out = new Map<number, GrafanaSourceAnswer>();
    for (const relation of await this.model.relations(this.endpoint)) {
      const answer = readGrafanaSourceAnswerBag(await relation.remoteAppData());
      if (answer) out.set(relation.id, answer);
    }
    return out;
  }

  async #publishOn(relation: Relation): Promise<void> {
    const o = this.#options;
    const unitBag = grafanaSourceProviderUnitBag(await o.url(), o.type);
    const unitChanges = bagChanges(await relation.localUnitData(), unitBag);
    if (Object.keys(unitChanges).length > 0) await relation.setUnitData(unitChanges);
    if (!(await this.model.unit.isLeader())) return;
    const appBag = grafanaSourceProviderAppBag({
      model: this.model.name,
      modelUuid: this.model.uuid,
      application: this.model.app.name,
      type: o.type,
      ...(o.extraFields && { extraFields: o.extraFields }),
      ...(o.secureExtraFields && { secureExtraFields: o.secureExtraFields }),
    });
    const have = await relation.localAppData();
    if (have.grafana_source_data !== appBag.grafana_source_data) await relation.setAppData(appBag);
  }

  async #changed(relation: Relation): Promise<void> {
    await this.#publishOn(relation);
    const answer = readGrafanaSourceAnswerBag(await relation.remoteAppData());
    if (!answer) return;
    const seen = pythonJson(answer as never);
    if (this.#stored.answers[String(relation.id)] === seen) return;
    this.#stored.answers[String(relation.id)] = seen;
    await this.emit('answered', { relation, answer });
  }
}

/** A short digest of the sources (secrets included, never shown). */
function sourcesFingerprint(sources: readonly GrafanaSource[]): string {
  return createHash('sha256')
    .update(pythonJson(sources as never))
    .digest('hex')
    .slice(0, 16);
}
