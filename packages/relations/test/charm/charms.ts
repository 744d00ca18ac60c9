/**
 * Charms that use the relation libraries through their events and state only, as a charm
 * would: for the libraries' unit tests (`src/**\/*-library.test.ts`), run through the real
 * dispatcher with @charm-ts/testing's in-memory hook tools. Their metadata is charmcraft.yaml
 * beside this file.
 * @module
 */
import { Charm, type Framework, Status } from '@charm-ts/ops';
import {
  DatabaseProvider,
  DatabaseRequirer,
  IngressRequirer,
  PrometheusScrapeProvider,
} from '../../src/index.ts';

/** The charm directory, for `new Context(Charm, { charmDir })`. */
export const CHARM_DIR = new URL('.', import.meta.url).pathname;

interface Types {
  config: { 'exporter-port': number };
  actions: Record<string, never>;
  endpoints: 'ingress' | 'database' | 'db' | 'metrics-endpoint';
  containers: 'web';
  storages: never;
}

/**
 * ingress through events only: records the URL `ready` brings (deferring it while the web
 * container is down), forgets it on `revoked`, and logs through the logger it shares with the
 * library. Its status shows the library's state.
 */
export class IngressCharm extends Charm<Types> {
  readonly ingress = new IngressRequirer(this, { port: 8080, stripPrefix: true });
  readonly #stored = this.storedState({ url: '', readyEvents: 0, commits: 0 });

  constructor(framework: Framework) {
    super(framework);
    this.ingress.on.ready(async (event) => {
      if (!(await this.unit.container('web').canConnect())) {
        this.logger.info('ingress ready, web not up yet: deferring');
        event.defer();
        return;
      }
      this.#stored.readyEvents++;
      this.#stored.url = event.url;
      this.logger.info(
        `ingress ready at ${event.url} (relation ${event.relation.id}${event.redelivered ? ', redelivered' : ''})`,
      );
    });
    this.ingress.on.revoked((event) => {
      this.#stored.url = '';
      this.logger.info(`ingress revoked (relation ${event.relation.id})`);
    });
    this.on.collectUnitStatus((e) => {
      const { url, problem } = this.ingress;
      if (problem) e.addStatus(Status.blocked(problem));
      else e.addStatus(url ? Status.active(`at ${url}`) : Status.waiting('no ingress'));
    });
    this.on.preCommit(() => {
      this.#stored.commits++;
    });
  }
}

/** ingress with a port known only from the charm's own state: published when the charm says. */
export class LateIngressCharm extends Charm<Types> {
  readonly ingress = new IngressRequirer(this, { scheme: 'https' });

  constructor(framework: Framework) {
    super(framework);
    this.on.configChanged(() => this.ingress.provideIngressRequirements({ port: 9000 }));
  }
}

/** A database requirer: records each event and what `fetchRelationData` gave (never the password). */
export class DatabaseCharm extends Charm<Types> {
  readonly database = new DatabaseRequirer(this, { endpoint: 'database', database: 'demo' });
  readonly #stored = this.storedState({ events: [] as string[] });

  constructor(framework: Framework) {
    super(framework);
    const record = (name: string) => async (event: { relation: { id: number } }) => {
      const answer = await this.database.fetchRelationData();
      const endpoints = answer?.endpoints.map((e) => `${e.host}:${e.port}`).join(',') ?? '-';
      this.#stored.events.push(
        `${name} ${event.relation.id} ${answer?.username ?? '-'} ${endpoints} ${answer ? answer.password.length : 0}`,
      );
    };
    this.database.on.databaseCreated(record('databaseCreated'));
    this.database.on.endpointsChanged(record('endpointsChanged'));
    this.database.on.readOnlyEndpointsChanged(record('readOnlyEndpointsChanged'));
  }
}

/** A database provider: answers each request with a user named after the relation. */
export class DatabaseProviderCharm extends Charm<Types> {
  readonly db = new DatabaseProvider(this, { endpoint: 'db' });

  constructor(framework: Framework) {
    super(framework);
    this.db.on.databaseRequested(async (event) => {
      this.logger.info(`database ${event.request.database} requested on ${event.relation.id}`);
      await this.db.setCredentials(event.relation, {
        database: event.request.database,
        username: `relation_id_${event.relation.id}`,
        password: 'pw-secret',
        endpoints: [{ host: '10.0.0.9', port: 5432 }],
        version: '15.4',
      });
    });
  }
}

/** A scrape target: the exporter on each unit at :9102; logs what Prometheus says of it. */
export class MetricsCharm extends Charm<Types> {
  readonly metrics = new PrometheusScrapeProvider(this, {
    jobs: [{ static_configs: [{ targets: ['*:9102'] }] }],
  });

  constructor(framework: Framework) {
    super(framework);
    this.metrics.on.alertRuleStatusChanged((e) =>
      this.logger.info(`alert rules valid: ${e.valid}${e.errors ? ` (${e.errors})` : ''}`),
    );
    this.metrics.on.invalidScrapeJob((e) => this.logger.warning(`invalid scrape job: ${e.errors}`));
  }
}

/**
 * A scrape target whose exporter port comes from config: the jobs are computed each time the
 * library publishes, none while the port is not usable (0); config-changed republishes.
 */
export class ConfiguredMetricsCharm extends Charm<Types> {
  readonly metrics = new PrometheusScrapeProvider(this, {
    jobs: async () => {
      const port = (await this.config())['exporter-port'];
      return port > 0 ? [{ static_configs: [{ targets: [`*:${port}`] }] }] : undefined;
    },
  });

  constructor(framework: Framework) {
    super(framework);
    this.on.configChanged(() => this.metrics.setScrapeJobSpec());
  }
}
