/**
 * `PrometheusScrapeProvider`: the provider side of `prometheus_scrape` as a library, what
 * `MetricsEndpointProvider` of `charms.prometheus_k8s.v0.prometheus_scrape` is to a Python
 * charm: it publishes the scrape jobs, the topology and the alert rules on the hooks that need
 * them, and passes on what Prometheus says about them.
 * @module
 */
import type { LibraryParent, Relation } from '@charm-ts/ops';
import type { DataBag } from '../bag.ts';
import { ingressUnitHost } from '../ingress/schema.ts';
import { RelationLibrary } from '../relation-library.ts';
import {
  prometheusScrapeProviderAppBag,
  prometheusScrapeProviderUnitBag,
  type ScrapeJob,
} from './provider.ts';

/** The events of {@link PrometheusScrapeProvider}, named as `MetricsEndpointProviderEvents` names them. */
export interface PrometheusScrapeProviderEvents {
  /** Prometheus validated the alert rules (`alert_rule_status_changed`). */
  alertRuleStatusChanged: { relation: Relation; valid: boolean; errors: string };
  /** Prometheus refused scrape jobs (`invalid_scrape_job`). */
  invalidScrapeJob: { relation: Relation; errors: string };
}

/**
 * Scrape jobs computed when they are published, for jobs that depend on config (a Python charm
 * reads its config in its constructor; a charm-ts charm reads it asynchronously). Undefined when
 * they cannot be known now (config that cannot be used): then nothing is published.
 */
export type ScrapeJobsSource = () =>
  | readonly ScrapeJob[]
  | undefined
  | Promise<readonly ScrapeJob[] | undefined>;

/** Options of {@link PrometheusScrapeProvider}, as `MetricsEndpointProvider(…)` takes them. */
export interface PrometheusScrapeProviderOptions {
  /** Optional: the endpoint. Default `metrics-endpoint`. */
  readonly endpoint?: string;
  /**
   * Optional: the scrape jobs, or a function giving them each time the library publishes (see
   * {@link ScrapeJobsSource}). Default the library's `*:80` `/metrics` job.
   */
  readonly jobs?: readonly ScrapeJob[] | ScrapeJobsSource;
  /** Optional: a URL Prometheus reaches the units at (ingress): its host and path are published. */
  readonly externalUrl?: string;
  /** Optional: forward the generic `HostHealth` alert rules. Default true. */
  readonly forwardAlertRules?: boolean;
  /** Optional: the charm's name in the topology. Default the metadata's `name`, else the app's. */
  readonly charmName?: string;
  /**
   * Optional: the container whose pebble-ready republishes the unit's address (the library's
   * `refresh_event`). Default the charm's only container; with none or several, update-status.
   */
  readonly refreshContainer?: string;
}

/**
 * The provider side of `prometheus_scrape` (`MetricsEndpointProvider`). Publishes
 * (`setScrapeJobSpec`) on the endpoint's relation-joined, on pebble-ready of the charm's
 * container (or update-status), and, beyond the library, on leader-elected and upgrade-charm (a
 * new leader's topology, a new version's jobs): every unit writes its address, the leader the
 * jobs, the topology and the alert rules, each bag only when it differs. On relation-changed
 * the leader reads Prometheus' verdict (`event` in its application bag) and emits
 * `alertRuleStatusChanged` and `invalidScrapeJob`. Namespace:
 * `prometheus-scrape-provider[<endpoint>]`.
 *
 * @example
 * new PrometheusScrapeProvider(this, { jobs: [{ static_configs: [{ targets: ['*:9102'] }] }] });
 * // Jobs from config: computed on each publication; the charm republishes on config-changed.
 * const metrics = new PrometheusScrapeProvider(this, {
 *   jobs: async () => [{ static_configs: [{ targets: [`*:${(await this.config()).port}`] }] }],
 * });
 * this.on.configChanged(() => metrics.setScrapeJobSpec());
 */
export class PrometheusScrapeProvider extends RelationLibrary<PrometheusScrapeProviderEvents> {
  readonly #options: PrometheusScrapeProviderOptions;
  #jobs: readonly ScrapeJob[] | ScrapeJobsSource | undefined;
  /** The jobs a {@link ScrapeJobsSource} gave last, in this dispatch. */
  #computed: readonly ScrapeJob[] | undefined;

  /** Throws `FrameworkError` when the charm has no such endpoint, or a second provider on it. */
  constructor(charm: LibraryParent, options: PrometheusScrapeProviderOptions = {}) {
    super(charm, 'prometheus-scrape-provider', options.endpoint ?? 'metrics-endpoint');
    this.#options = options;
    this.#jobs = options.jobs;
    const on = this.framework.on;
    const publish = () => this.setScrapeJobSpec();
    on.relationJoined(this.endpoint, publish);
    on.relationChanged(this.endpoint, (e) => this.#verdict(e.relation));
    on.leaderElected(publish);
    on.upgradeCharm(publish);
    const containers = Object.keys(this.framework.meta?.containers ?? {});
    const refresh =
      options.refreshContainer ?? (containers.length === 1 ? containers[0] : undefined);
    if (refresh) on.pebbleReady(refresh, publish);
    else on.updateStatus(publish);
  }

  /**
   * The jobs published (none: the library's default job); with a {@link ScrapeJobsSource}, what
   * it gave last in this dispatch (none before it was asked).
   */
  get jobs(): readonly ScrapeJob[] {
    return (typeof this.#jobs === 'function' ? this.#computed : this.#jobs) ?? [];
  }

  /** Replaces the jobs and publishes them (`update_scrape_job_spec`). */
  async updateScrapeJobSpec(jobs: readonly ScrapeJob[]): Promise<void> {
    this.#jobs = jobs;
    await this.setScrapeJobSpec();
  }

  /**
   * Publishes on every relation of the endpoint (`set_scrape_job_spec`): this unit's address
   * (the binding's, or the external URL's host and path), and, on the leader, the jobs, the
   * topology and the alert rules. A bag already right is not written. With a
   * {@link ScrapeJobsSource}, the jobs are asked for first; when it gives none, nothing is written.
   */
  async setScrapeJobSpec(): Promise<void> {
    const relations = await this.relations();
    if (relations.length === 0) return;
    let jobs: readonly ScrapeJob[] | undefined;
    if (typeof this.#jobs === 'function') {
      jobs = await this.#jobs();
      this.#computed = jobs;
      if (!jobs) return;
    } else {
      jobs = this.#jobs;
    }
    const model = this.model;
    const leader = await model.unit.isLeader();
    const appBag = leader ? this.#appBag(jobs) : undefined;
    for (const relation of relations) {
      const address = (await model.binding(relation).network()).bindAddress ?? '';
      const unitBag = prometheusScrapeProviderUnitBag({
        unit: model.unit.name,
        address,
        fqdn: ingressUnitHost(model.unit.name, model.name),
        ...(this.#options.externalUrl && { externalUrl: this.#options.externalUrl }),
      });
      await this.writeWhole(relation, 'local-unit', unitBag);
      if (appBag) await this.writeWhole(relation, 'local-app', appBag);
    }
  }

  #appBag(jobs: readonly ScrapeJob[] | undefined): DataBag {
    const model = this.model;
    return prometheusScrapeProviderAppBag({
      topology: {
        model: model.name,
        modelUuid: model.uuid,
        application: model.app.name,
        unit: model.unit.name,
        charmName: this.#options.charmName ?? this.framework.meta?.name ?? model.app.name,
      },
      ...(jobs && { jobs }),
      ...(this.#options.forwardAlertRules !== undefined && {
        forwardAlertRules: this.#options.forwardAlertRules,
      }),
    });
  }

  /** Prometheus' `event` (`{valid, errors, scrape_job_errors}`), read by the leader. */
  async #verdict(relation: Relation): Promise<void> {
    if (!(await this.model.unit.isLeader())) return;
    const event = await this.load(relation, readVerdict);
    if (!event) return;
    await this.emit('alertRuleStatusChanged', {
      relation,
      valid: event.valid,
      errors: event.errors,
    });
    if (event.scrapeJobErrors) {
      await this.emit('invalidScrapeJob', { relation, errors: event.scrapeJobErrors });
    }
  }
}

/** Prometheus' verdict in its application bag; undefined when there is none. */
function readVerdict(
  bag: DataBag,
): { valid: boolean; errors: string; scrapeJobErrors: string } | undefined {
  const raw = bag.event;
  if (!raw) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!event || typeof event !== 'object' || Object.keys(event).length === 0) return undefined;
  const { valid, errors, scrape_job_errors } = event as Record<string, unknown>;
  return {
    // As the library: `bool(ev.get("valid", True))`, errors as given.
    valid: valid === undefined ? true : Boolean(valid),
    errors: typeof errors === 'string' ? errors : errors ? JSON.stringify(errors) : '',
    scrapeJobErrors:
      typeof scrape_job_errors === 'string'
        ? scrape_job_errors
        : scrape_job_errors
          ? JSON.stringify(scrape_job_errors)
          : '',
  };
}
