/**
 * The gunicorn charm: any WSGI application under gunicorn, its environment a Jinja2 template of
 * relation data, with a statsd exporter beside it. Holistic: one handler brings the unit to what
 * config and relations ask, and says why when it cannot. It runs on the charm's own hooks, on
 * the relation hooks of the endpoints without a library, and on the events of the relation
 * libraries (`@charm-ts/relations`) on the others.
 * @module
 */
import {
  type ActionEvent,
  ChangeError,
  Charm,
  type Framework,
  type Status,
  Status as Statuses,
} from '@charm-ts/ops';
import type { Actions, Config, Types } from './charmcraft.generated.ts';
import { contextNames } from './context.ts';
import { renderEnvironment } from './environment.ts';
import { redact } from './redact.ts';
import { ENDPOINTS, Relations } from './relations.ts';
import { GUNICORN_CONFIG_PATH, gunicornConfigFile, webserverProblem } from './webserver.ts';
import {
  applyWorkload,
  EXPORTER,
  GUNICORN,
  gunicornLayer,
  MAPPING_PATH,
  STARTUP_FAILED,
  STATSD_MAPPING,
  workloadStatus,
} from './workload.ts';

/** The original's status while the container's Pebble does not answer. */
export const WAITING_FOR_PEBBLE = 'waiting for pebble to start';

/** What the unit remembers between dispatches. */
interface Stored extends Record<string, unknown> {
  /** The port this unit opened (0: none yet). */
  openedPort: number;
}

/** gunicorn, its exporter, and the relations that configure them. */
export class GunicornCharm extends Charm<Types> {
  readonly #stored: Stored;
  readonly #relations: Relations;
  /** Values never to show in a log line or a status (set once the relations are read). */
  #secrets: readonly string[] = [];

  constructor(framework: Framework) {
    super(framework);
    this.#stored = this.storedState<Stored>({ openedPort: 0 });
    // The libraries first: they observe their relations' hooks before the charm does.
    const relations = new Relations(this);
    this.#relations = relations;
    const reconcile = () => this.#reconcile();
    this.on.install(reconcile);
    this.on.upgradeCharm(reconcile);
    this.on.configChanged(reconcile);
    this.on.start(reconcile);
    this.on.leaderElected(reconcile);
    this.on.updateStatus(reconcile);
    this.on.pebbleReady('gunicorn', reconcile);
    // A rotated database password: the secret's new revision reaches the environment.
    this.on.secretChanged(reconcile);
    // pg: the database library says when the database exists and when its endpoints move.
    const { database, ingress } = relations;
    database.on.databaseCreated((e) => {
      this.logger.info(`database created on pg:${e.relation.id}`);
      return this.#reconcile();
    });
    database.on.endpointsChanged(reconcile);
    database.on.readOnlyEndpointsChanged(reconcile);
    // ingress: the library says when a URL is granted and when it is gone; the charm gives it
    // the port (from config) when the relation appears.
    ingress.on.ready((e) => {
      this.logger.info(`ingress ready at ${e.url}`);
      return this.#reconcile();
    });
    ingress.on.revoked(reconcile);
    this.on.relationCreated('ingress', reconcile);
    // A relation appearing or going changes the statuses ("Waiting for pg relation(s)").
    this.on.relationCreated('pg', reconcile);
    this.on.relationBroken('pg', reconcile);
    // Endpoints whose remote data templates read as it is: every change.
    for (const endpoint of ['influxdb', 'metrics-endpoint'] as const) {
      this.on.relationCreated(endpoint, reconcile);
      this.on.relationJoined(endpoint, reconcile);
      this.on.relationChanged(endpoint, reconcile);
      this.on.relationDeparted(endpoint, reconcile);
      this.on.relationBroken(endpoint, reconcile);
    }
    this.on.action('show-environment-context', (event) => this.#showContext(event));
  }

  async #reconcile(): Promise<void> {
    const config = await this.config();
    const problem = configProblem(config);
    if (problem) return this.#status(Statuses.blocked(problem));
    const port = config.external_port;
    if (this.#stored.openedPort !== port) {
      await this.unit.setPorts([port]);
      this.#stored.openedPort = port;
    }
    await this.#relations.publish(port);
    const relations = await this.#relations.read();
    this.#secrets = relations.secrets;
    for (const note of relations.notes) await this.#log('WARNING', note);
    const [unreadable] = relations.problems;
    if (unreadable) return this.#status(Statuses.blocked(unreadable));
    const env = await renderEnvironment(config.environment, relations.context, {
      endpoints: ENDPOINTS,
      related: relations.related,
    });
    if (!env.ok) return this.#status(env.status);
    const container = this.unit.container('gunicorn');
    if (!(await container.canConnect()))
      return this.#status(Statuses.maintenance(WAITING_FOR_PEBBLE));
    try {
      const outcome = await applyWorkload(
        container,
        gunicornLayer({ command: config.startup_command, port, environment: env.environment }),
        [
          {
            path: GUNICORN_CONFIG_PATH,
            content: gunicornConfigFile(port, config),
            service: GUNICORN,
          },
          { path: MAPPING_PATH, content: STATSD_MAPPING, service: EXPORTER },
        ],
      );
      const done = [
        outcome.changed.length > 0 && `replanned ${outcome.changed.join(', ')}`,
        outcome.restarted.length > 0 && `restarted ${outcome.restarted.join(', ')}`,
        outcome.started.length > 0 && `started ${outcome.started.join(', ')}`,
      ].filter(Boolean);
      if (done.length > 0) await this.#log('INFO', `workload: ${done.join('; ')}`);
    } catch (error) {
      if (!(error instanceof ChangeError)) throw error;
      await this.#log('WARNING', `gunicorn did not start: ${error.message}`);
      return this.#status(Statuses.blocked(STARTUP_FAILED));
    }
    this.#status((await workloadStatus(container, port)) ?? Statuses.active());
  }

  /** The original's action: the names a template may use, sorted, as indented JSON. */
  async #showContext(event: ActionEvent<Actions['show-environment-context']>): Promise<void> {
    const relations = await this.#relations.read();
    await event.setResults({
      'available-variables': JSON.stringify(contextNames(relations.context), null, 4),
    });
  }

  /** A status candidate, with every secret value removed from its message. */
  #status(status: Status): void {
    this.addStatus({ status: status.status, message: redact(status.message, this.#secrets) });
  }

  /** A juju-log line, with every secret value removed. */
  #log(level: 'INFO' | 'WARNING', message: string): Promise<void> {
    return this.model.log(level, redact(message, this.#secrets));
  }
}

/** The first config problem, as a message naming the option; undefined when there is none. */
export function configProblem(config: Config): string | undefined {
  if (!config.startup_command.trim()) {
    return "startup_command must not be empty: set it with 'juju config <app> startup_command=…'";
  }
  const port = config.external_port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `external_port must be a port from 1 to 65535, not ${port}`;
  }
  return webserverProblem(config);
}
