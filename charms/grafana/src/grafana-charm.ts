/**
 * The grafana charm. Holistic: every event brings the unit to what config and relations ask
 * (files rendered, pushed only when they change, then one restart; a changed layer restarts
 * through Pebble's replan). Every relation goes through a `@charm-ts/relations` library, which
 * publishes this side's bags on its own hooks, emits its events (logged here) and keeps its
 * state; `reconcile()`, which runs after them on every event, reads that state.
 * @module
 */
import {
  type ActionEvent,
  ChangeError,
  Charm,
  type Framework,
  ModelError,
  type Relation,
  RelationDataError,
  Status,
} from '@charm-ts/ops';
import {
  DatabaseRequirer,
  GrafanaDashboardRequirer,
  GrafanaSourceRequirer,
  IngressRequirer,
  PrometheusScrapeProvider,
  type ScrapeJob,
} from '@charm-ts/relations';
import { adminPassword } from './admin-password.ts';
import type { Actions, Types } from './charmcraft.generated.ts';
import { databaseName, postgresConfig } from './database.ts';
import { syncFiles } from './files.ts';
import { grafanaIsReady, passwordRefused } from './grafana-api.ts';
import { ImportError, readImportedDashboard } from './import-dashboard.ts';
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
  /**
   * `ingress`: `IngressPerAppRequirer(port, strip_prefix=False)` (Grafana serves from the
   * sub-path itself); the port, from config, is given by `reconcile()`.
   */
  readonly ingress: IngressRequirer;
  /** `pgsql`: `DatabaseRequires(database_name=<app>-grafana-<model uuid>)`. */
  readonly database: DatabaseRequirer;
  /** `metrics-endpoint`: `MetricsEndpointProvider` with Grafana's own `/metrics` on every unit. */
  readonly metrics: PrometheusScrapeProvider;

  constructor(framework: Framework) {
    super(framework);
    // The libraries observe their endpoints' hooks before the charm's own observers run, and
    // reconcile() runs after every event (theirs included): it reads their state.
    this.sources = new GrafanaSourceRequirer(this, {
      answer: async () => ({
        grafanaUid: this.#grafanaUid(),
        grafanaBaseUrl: await this.#baseUrl(),
      }),
    });
    this.dashboards = new GrafanaDashboardRequirer(this);
    this.ingress = new IngressRequirer(this, { stripPrefix: false });
    this.database = new DatabaseRequirer(this, {
      endpoint: 'pgsql',
      database: databaseName(this.app.name, this.model.uuid),
    });
    this.metrics = new PrometheusScrapeProvider(this, { jobs: () => this.#scrapeJobs() });
    this.ingress.on.ready((e) => this.logger.info(`ingress ready at ${e.url}`));
    this.ingress.on.revoked(() => this.logger.info('ingress revoked'));
    this.database.on.databaseCreated((e) =>
      this.logger.info(`database created on pgsql:${e.relation.id}`),
    );
    this.database.on.endpointsChanged((e) =>
      this.logger.info(`database endpoints changed on pgsql:${e.relation.id}`),
    );
    // The scrape job's port is config: a new one is published at once.
    this.on.configChanged(() => this.metrics.setScrapeJobSpec());
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
    // The port is config: the ingress library publishes the request once given it (a bag
    // already right is not written again).
    await this.ingress.provideIngressRequirements({ port: settings.port });
    await this.sources.publishAnswers();
    const [pgsql] = await this.database.relations();
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
        grafanaLayer(settings, this.#rootUrl(settings)),
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

  /** Grafana's own `/metrics` on every unit, at its port; none while the config is unusable. */
  async #scrapeJobs(): Promise<ScrapeJob[] | undefined> {
    const settings = readSettings(await this.config());
    if (isProblem(settings)) return undefined;
    return [{ metrics_path: '/metrics', static_configs: [{ targets: [`*:${settings.port}`] }] }];
  }

  /**
   * PostgreSQL from `pgsql`, once the provider has made the database (every unit reads the
   * answer itself: the secret is granted to the application, so no copy of the credentials goes
   * through the peer relation); undefined until then (an answer that cannot be read, or a
   * secret not granted yet, is logged and waited out).
   */
  async #postgres(relation: Relation): Promise<DatabaseConfig | undefined> {
    try {
      const answer = await this.database.fetchRelationData(relation);
      return answer && postgresConfig(answer, this.database.request.database);
    } catch (error) {
      if (!(error instanceof RelationDataError || error instanceof ModelError)) throw error;
      this.logger.warning(`pgsql: ${error.message}`);
      return undefined;
    }
  }

  /**
   * Grafana's root URL: the URL the ingress library was granted (its state), else
   * `external-hostname`, else the app's service.
   */
  #rootUrl(settings: Settings): string {
    const url = this.ingress.url;
    if (url) return url.endsWith('/') ? url : `${url}/`;
    if (settings.externalHostname) return `http://${settings.externalHostname}/`;
    return `http://${this.app.name}.${this.model.name}.svc.cluster.local:${settings.port}/`;
  }

  /** What datasources are told Grafana is reached at (the root URL without its last `/`). */
  async #baseUrl(): Promise<string> {
    const settings = readSettings(await this.config());
    if (isProblem(settings)) return '';
    return this.#rootUrl(settings).replace(/\/$/, '');
  }

  /** Identifies this Grafana application (not the unit that leads: it does not change with it). */
  #grafanaUid(): string {
    return `juju_${this.model.name}_${this.model.uuid}_${this.app.name}`;
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
