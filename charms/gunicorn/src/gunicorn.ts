/**
 * The gunicorn charm: any WSGI application under gunicorn, its environment a Jinja2 template of
 * relation data, with a statsd exporter beside it. Holistic: one handler brings the unit to what
 * config and relations ask on every event it observes, and says why when it cannot.
 * @module
 */
import {
  type ActionEvent,
  Charm,
  type Framework,
  type HookEvent,
  type Status,
  Status as Statuses,
} from '@charm-ts/ops';
import { type Actions, type Config, meta, type Types } from './charmcraft.generated.ts';
import { contextNames } from './context.ts';
import { renderEnvironment } from './environment.ts';
import { redact } from './redact.ts';
import { ENDPOINTS, publishRelations, readRelations, type Unit } from './relations.ts';
import { GUNICORN_CONFIG_PATH, gunicornConfigFile, webserverProblem } from './webserver.ts';
import {
  applyWorkload,
  EXPORTER,
  GUNICORN,
  gunicornLayer,
  isChangeError,
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
  /** Values never to show in a log line or a status (set once the relations are read). */
  #secrets: readonly string[] = [];

  constructor(framework: Framework) {
    super(framework);
    this.#stored = this.storedState<Stored>({ openedPort: 0 });
    const reconcile = (event: HookEvent) => this.#reconcile(event);
    this.on.install(reconcile);
    this.on.upgradeCharm(reconcile);
    this.on.configChanged(reconcile);
    this.on.start(reconcile);
    this.on.leaderElected(reconcile);
    this.on.updateStatus(reconcile);
    this.on.pebbleReady('gunicorn', reconcile);
    // A rotated database password: the secret's new revision reaches the environment.
    this.on.secretChanged(reconcile);
    for (const endpoint of ENDPOINTS) {
      this.on.relationCreated(endpoint, reconcile);
      this.on.relationJoined(endpoint, reconcile);
      this.on.relationChanged(endpoint, reconcile);
      this.on.relationDeparted(endpoint, reconcile);
      this.on.relationBroken(endpoint, reconcile);
    }
    this.on.action('show-environment-context', (event) => this.#showContext(event));
  }

  async #reconcile(event: HookEvent): Promise<void> {
    const config = await this.config();
    const problem = configProblem(config);
    if (problem) return this.#status(Statuses.blocked(problem));
    const port = config.external_port;
    if (this.#stored.openedPort !== port) {
      await this.unit.setPorts([port]);
      this.#stored.openedPort = port;
    }
    const unit: Unit = {
      leader: await this.unit.isLeader(),
      port,
      portOpen: true,
      charmName: meta.name,
      broken: event.kind === 'relation-broken' ? event.relation.id : undefined,
    };
    await publishRelations(this.model, unit);
    const relations = await readRelations(this.model, unit);
    this.#secrets = relations.secrets;
    for (const note of relations.notes) await this.#log('WARNING', note);
    const [unreadable] = relations.problems;
    if (unreadable) return this.#status(Statuses.blocked(unreadable));
    const env = renderEnvironment(config.environment, relations.context, {
      endpoints: ENDPOINTS,
      related: relations.related,
    });
    if (!env.ok) return this.#status(env.status);
    const container = this.unit.container('gunicorn');
    if (!(await container.canConnect()))
      return this.#status(Statuses.maintenance(WAITING_FOR_PEBBLE));
    const pebble = await container.pebble();
    try {
      const outcome = await applyWorkload(
        pebble,
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
        outcome.replanned && 'replanned',
        outcome.restarted.length > 0 && `restarted ${outcome.restarted.join(', ')}`,
        outcome.started.length > 0 && `started ${outcome.started.join(', ')}`,
      ].filter(Boolean);
      if (done.length > 0) await this.#log('INFO', `workload: ${done.join('; ')}`);
    } catch (error) {
      if (!isChangeError(error)) throw error;
      await this.#log('WARNING', `gunicorn did not start: ${error.message}`);
      return this.#status(Statuses.blocked(STARTUP_FAILED));
    }
    this.#status((await workloadStatus(pebble, port)) ?? Statuses.active());
  }

  /** The original's action: the names a template may use, sorted, as indented JSON. */
  async #showContext(event: ActionEvent<Actions['show-environment-context']>): Promise<void> {
    const config = await this.config();
    const relations = await readRelations(this.model, {
      leader: false,
      port: config.external_port,
      portOpen: false,
      charmName: meta.name,
    });
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
