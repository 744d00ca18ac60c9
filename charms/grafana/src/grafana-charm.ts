/**
 * The grafana charm. Holistic: every event brings the unit to what config and relations ask
 * (files rendered, pushed only when they change, then one restart; a changed layer restarts
 * through Pebble's replan); the relation libraries keep their own bookkeeping and answers.
 * @module
 */
import {
  type ActionEvent,
  ChangeError,
  Charm,
  type Framework,
  ModelError,
  type Relation,
  type RelationEvent,
  Status,
} from '@charm-ts/ops';
import {
  GrafanaDashboardRequirer,
  GrafanaSourceRequirer,
  RelationDataError,
} from '@charm-ts/relations';
import { adminPassword } from './admin-password.ts';
import type { Actions, Types } from './charmcraft.generated.ts';
import { postgresConfig, publishScrapeJob, requestDatabase } from './database.ts';
import { syncFiles } from './files.ts';
import { grafanaIsReady, passwordRefused } from './grafana-api.ts';
import { ImportError, readImportedDashboard } from './import-dashboard.ts';
import { ingressUrl, publishIngressRequest } from './ingress.ts';
import { isProblem, readSettings, type Settings } from './settings.ts';
import { statusNotes } from './status-notes.ts';
import {
  type DatabaseConfig,
  dashboardFiles,
  dashboardProvidersYaml,
  datasourcesYaml,
  grafanaIni,
  grafanaLayer,
  SERVICE,
} from './workload.ts';

/** Status texts: the original's where it had one, today's charm's for the HA rule. */
export const STATUS = {
  started: 'grafana started',
  restarted: 'grafana restarted',
  maintenance: 'grafana maintenance',
  scale: 'Scale > 1 requires pgsql relation.',
  pebble: 'waiting for Pebble in the grafana container',
  password: 'waiting for the leader to generate the admin password',
  database: 'waiting for the pgsql database',
  storage: 'waiting for the database storage',
} as const;

/** get-admin-password's texts, as today's charm words them. */
export const PASSWORD_TEXTS = {
  waitingForLeader: 'Still waiting for the leader to generate an admin password...',
  notReachable: 'Grafana is not reachable yet. Please try again in a few minutes',
  changedByAdmin: 'Admin password has been changed by an administrator.',
  perhapsChangedByAdmin:
    'Admin password may have been changed by an administrator. To be sure, run this action on the leader unit.',
} as const;

export class GrafanaCharm extends Charm<Types> {
  readonly sources: GrafanaSourceRequirer;
  readonly dashboards: GrafanaDashboardRequirer;
  /** A relation being broken in this hook: it is gone for everything the charm reads. */
  #broken: { endpoint: string; id: number } | undefined;

  constructor(framework: Framework) {
    super(framework);
    this.sources = new GrafanaSourceRequirer(this, {
      answer: async () => ({
        grafanaUid: this.#grafanaUid(),
        grafanaBaseUrl: await this.#baseUrl(),
      }),
    });
    this.dashboards = new GrafanaDashboardRequirer(this);
    const broken = (e: RelationEvent) => {
      this.#broken = { endpoint: e.endpoint, id: e.relation.id };
    };
    this.on.relationBroken('pgsql', broken);
    this.on.relationBroken('ingress', broken);
    this.on.relationBroken('metrics-endpoint', broken);
    this.on.action('get-admin-password', (e) => this.#getAdminPassword(e));
    this.on.action('import-dashboard', (e) => this.#importDashboard(e));
  }

  override async reconcile(): Promise<void> {
    const settings = readSettings(await this.config());
    if (isProblem(settings)) {
      // The workload stays as it is until the option is fixed.
      this.addStatus(Status.blocked(settings.message));
      return;
    }
    await this.#publishIngress(settings);
    await this.sources.publishAnswers();
    const metrics = await this.#relation('metrics-endpoint');
    if (metrics)
      await publishScrapeJob(this.model, metrics, settings.port, this.meta?.name ?? 'grafana');
    const pgsql = await this.#relation('pgsql');
    if (pgsql) await requestDatabase(this.model, pgsql);
    if (!pgsql && (await this.app.plannedUnits()) > 1) {
      this.addStatus(Status.blocked(STATUS.scale));
      return;
    }
    const database = pgsql ? await this.#postgres(pgsql) : ({ type: 'sqlite3' } as const);
    if (!database) {
      this.addStatus(Status.waiting(STATUS.database));
      return;
    }
    if ((await this.model.storage('database')).length === 0) {
      this.addStatus(Status.waiting(STATUS.storage));
      return;
    }
    const container = this.unit.container('grafana');
    if (!(await container.canConnect())) {
      this.addStatus(Status.waiting(STATUS.pebble));
      return;
    }
    const password = await adminPassword(this.model, { create: true });
    if (!password) {
      this.addStatus(Status.waiting(STATUS.password));
      return;
    }
    const sources = await this.sources.read();
    const dashboards = await this.dashboards.read();
    const changed = await syncFiles(container, [
      grafanaIni(password, database),
      datasourcesYaml(sources.sources, sources.toDelete, settings.datasourceQueryTimeout),
      dashboardProvidersYaml(),
      ...dashboardFiles(dashboards.dashboards),
    ]);
    let started: string[];
    try {
      ({ started } = await container.applyLayer(
        'grafana',
        grafanaLayer(settings, await this.#rootUrl(settings)),
      ));
    } catch (error) {
      if (!(error instanceof ChangeError)) throw error;
      // Grafana refused to start (its output is in `pebble logs grafana`); Pebble retries.
      this.logger.warning(`grafana did not start: ${error.message}`);
      this.addStatus(
        Status.waiting('grafana is not running: it exited at start; see pebble logs grafana'),
      );
      return;
    }
    let message = '';
    if (started.includes(SERVICE)) {
      message = STATUS.started;
    } else if (changed.length > 0) {
      // Grafana reads its files only when it starts: no reload.
      this.logger.info(`restarting grafana: ${changed.join(', ')} changed`);
      await this.unit.setStatus(Status.maintenance(STATUS.maintenance));
      await container.restart([SERVICE]);
      message = STATUS.restarted;
    }
    if (message) {
      await this.unit.setPorts([settings.port]);
      await this.#setWorkloadVersion();
    }
    const notes = statusNotes(sources, dashboards);
    this.addStatus(Status.active([message, ...notes].filter(Boolean).join('; ')));
  }

  async #getAdminPassword(event: ActionEvent<Actions['get-admin-password']>): Promise<void> {
    const leader = await this.unit.isLeader();
    const password = await adminPassword(this.model, { create: leader });
    if (!password) return event.fail(PASSWORD_TEXTS.waitingForLeader);
    const settings = readSettings(await this.config());
    if (isProblem(settings)) return event.fail(settings.message);
    if (!(await grafanaIsReady(settings.port))) return event.fail(PASSWORD_TEXTS.notReachable);
    let refused: boolean;
    try {
      refused = await passwordRefused(settings.port, settings.adminUser, password);
    } catch (error) {
      this.logger.warning(`get-admin-password: ${(error as Error).message}`);
      return event.fail(PASSWORD_TEXTS.notReachable);
    }
    const url = await this.#baseUrl();
    if (refused) {
      const notice = leader ? PASSWORD_TEXTS.changedByAdmin : PASSWORD_TEXTS.perhapsChangedByAdmin;
      return event.setResults({ url, 'admin-password': notice });
    }
    await event.setResults({ url, 'admin-password': password });
  }

  async #importDashboard(event: ActionEvent<Actions['import-dashboard']>): Promise<void> {
    let dashboard: ReturnType<typeof readImportedDashboard>;
    try {
      dashboard = readImportedDashboard(event.params.dashboard);
    } catch (error) {
      if (error instanceof ImportError) return event.fail(error.message);
      throw error;
    }
    const container = this.unit.container('grafana');
    if (!(await container.canConnect())) return event.fail(`${STATUS.pebble}: try again shortly`);
    await container.push(dashboard.path, dashboard.content, { makeDirs: true, permissions: 0o644 });
    // Grafana provisions dashboards when it starts: restart it, unless it has not started yet.
    const running = (await container.getServices([SERVICE]))[SERVICE]?.isRunning() ?? false;
    if (running) {
      await event.log(`wrote ${dashboard.path}; restarting grafana to provision it`);
      await this.unit.setStatus(Status.maintenance(STATUS.maintenance));
      await container.restart([SERVICE]);
      await this.unit.setStatus(Status.active(STATUS.restarted));
    } else {
      await event.log(`wrote ${dashboard.path}; grafana provisions it when it starts`);
    }
    await event.setResults({
      imported: dashboard.title || '(untitled)',
      uid: dashboard.uid || '(none: Grafana assigns one)',
      panels: dashboard.panels,
      path: dashboard.path,
      restarted: running,
    });
  }

  async #publishIngress(settings: Settings): Promise<void> {
    const relation = await this.#relation('ingress');
    if (!relation) return;
    const network = await this.model.network('ingress', relation);
    const opened = await this.unit.openedPorts();
    await publishIngressRequest(relation, {
      unit: this.unit.name,
      app: this.app.name,
      model: this.model.name,
      port: settings.port,
      ip: network.bindAddresses[0]?.addresses[0]?.value,
      leader: await this.unit.isLeader(),
      isPortOpen: opened.some((p) => p.protocol === 'tcp' && p.port === settings.port),
    });
  }

  /**
   * PostgreSQL from `pgsql`, once the provider has made the database; undefined until then (an
   * answer that cannot be read, or a secret not granted yet, is logged and waited out).
   */
  async #postgres(relation: Relation): Promise<DatabaseConfig | undefined> {
    try {
      return await postgresConfig(this.model, relation);
    } catch (error) {
      if (!(error instanceof RelationDataError || error instanceof ModelError)) throw error;
      this.logger.warning(`pgsql: ${error.message}`);
      return undefined;
    }
  }

  /** Grafana's root URL: the ingress URL, else `external-hostname`, else the app's service. */
  async #rootUrl(settings: Settings): Promise<string> {
    const ingress = await this.#relation('ingress');
    const url = ingress ? ingressUrl(await ingress.remoteAppData()).url : undefined;
    if (url) return url.endsWith('/') ? url : `${url}/`;
    if (settings.externalHostname) return `http://${settings.externalHostname}/`;
    return `http://${this.app.name}.${this.model.name}.svc.cluster.local:${settings.port}/`;
  }

  /** What datasources are told Grafana is reached at (the root URL without its last `/`). */
  async #baseUrl(): Promise<string> {
    const settings = readSettings(await this.config());
    if (isProblem(settings)) return '';
    return (await this.#rootUrl(settings)).replace(/\/$/, '');
  }

  /** Identifies this Grafana application (not the unit that leads: it does not change with it). */
  #grafanaUid(): string {
    return `juju_${this.model.name}_${this.model.uuid}_${this.app.name}`;
  }

  async #relation(
    endpoint: 'pgsql' | 'ingress' | 'metrics-endpoint',
  ): Promise<Relation | undefined> {
    const relation = await this.model.relation(endpoint);
    return relation && !(this.#broken?.endpoint === endpoint && this.#broken.id === relation.id)
      ? relation
      : undefined;
  }

  async #setWorkloadVersion(): Promise<void> {
    try {
      const { stdout } = await this.unit
        .container('grafana')
        .exec(['grafana-server', '-v'], { timeoutMs: 10_000 });
      const version = /Version (\d+\.\d+\.\d+)/.exec(stdout)?.[1];
      if (version) await this.unit.setWorkloadVersion(version);
    } catch (error) {
      this.logger.warning(`cannot read Grafana's version: ${(error as Error).message}`);
    }
  }
}
