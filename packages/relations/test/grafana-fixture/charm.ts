/**
 * A charm that uses the grafana libraries through their events only, recording what each
 * event carried in its stored state.
 * @module
 */
import { Charm, type Framework } from '@charm-ts/ops';
import { GrafanaDashboardRequirer } from '../../src/grafana-dashboard/library.ts';
import {
  GrafanaSourceProvider,
  GrafanaSourceRequirer,
} from '../../src/grafana-datasource/library.ts';

interface Types {
  config: Record<string, never>;
  actions: Record<string, never>;
  endpoints: 'grafana-source' | 'grafana-dashboard' | 'metrics-source' | 'grafana';
  containers: never;
  storages: never;
}

export class GrafanaFixtureCharm extends Charm<Types> {
  readonly sources: GrafanaSourceRequirer;
  readonly dashboards: GrafanaDashboardRequirer;
  readonly provider: GrafanaSourceProvider;
  readonly #seen = this.storedState({ events: [] as string[] });

  constructor(framework: Framework) {
    super(framework);
    this.sources = new GrafanaSourceRequirer(this, {
      answer: async () => ({
        grafanaUid: 'juju_m_u_grafana',
        grafanaBaseUrl: 'http://grafana:3000',
      }),
    });
    this.dashboards = new GrafanaDashboardRequirer(this);
    this.provider = new GrafanaSourceProvider(this, {
      endpoint: 'metrics-source',
      type: 'prometheus',
      url: async () => 'grafana-fixture-0.grafana-fixture-endpoints:9090',
    });
    this.sources.on.sourcesChanged((e) => {
      this.#seen.events.push(`sources ${e.names.join(',')} removed ${e.removed.join(',')}`);
    });
    this.dashboards.on.dashboardsChanged((e) => {
      this.#seen.events.push(`dashboards ${e.uids.join(',')} errors ${e.errors}`);
    });
    this.provider.on.answered((e) => {
      this.#seen.events.push(
        `answered ${e.answer.grafanaUid} ${JSON.stringify(e.answer.datasourceUids)}`,
      );
    });
  }
}
