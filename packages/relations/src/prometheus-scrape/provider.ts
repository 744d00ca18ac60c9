/**
 * The provider side of `prometheus_scrape`, as `charms.prometheus_k8s.v0.prometheus_scrape`
 * (LIBPATCH 56) `MetricsEndpointProvider` writes it: a workload charm tells Prometheus what to
 * scrape. The leader writes the scrape jobs, the Juju topology and the alert rules in the
 * application bag (JSON, as `json.dumps` writes it); each unit writes where it is reachable.
 * @module
 */
import { isIP } from 'node:net';
import type { DataBag } from '../bag.ts';
import { RelationDataError } from '../errors.ts';
import { type JsonValue, pythonJson } from '../json.ts';

/** The interface name in charmcraft.yaml. */
export const PROMETHEUS_SCRAPE_INTERFACE = 'prometheus_scrape';

/** The Juju topology of the unit writing (cosl's `JujuTopology`). */
export interface JujuTopology {
  readonly model: string;
  readonly modelUuid: string;
  readonly application: string;
  /** The writing unit, e.g. `gunicorn/0`. */
  readonly unit: string;
  /** The charm's name (metadata `name`). */
  readonly charmName: string;
}

/** One static target group: `*:9102` means "each unit of this application, on port 9102". */
export interface ScrapeStaticConfig {
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly [key: string]: JsonValue | undefined;
}

/**
 * A scrape job, in Prometheus' own keys. The library keeps only these keys (`ALLOWED_KEYS`);
 * any other is dropped, as it drops them.
 */
export interface ScrapeJob {
  readonly job_name?: string;
  /** Default `/metrics`. */
  readonly metrics_path?: string;
  /** Default `[{ targets: ['*:80'] }]`. */
  readonly static_configs?: readonly ScrapeStaticConfig[];
  readonly scrape_interval?: string;
  readonly scrape_timeout?: string;
  readonly scheme?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly [key: string]: JsonValue | undefined;
}

/** The keys the library passes on (`ALLOWED_KEYS`). */
export const SCRAPE_JOB_KEYS: ReadonlySet<string> = new Set([
  'job_name',
  'metrics_path',
  'static_configs',
  'scrape_interval',
  'scrape_timeout',
  'proxy_url',
  'relabel_configs',
  'metric_relabel_configs',
  'sample_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'scheme',
  'basic_auth',
  'tls_config',
  'authorization',
  'params',
]);

/** What the leader writes. */
export interface ScrapeProviderAppData {
  readonly topology: JujuTopology;
  /** The jobs; none means the library's default job (`*:80`, `/metrics`). */
  readonly jobs?: readonly ScrapeJob[];
  /**
   * Forward the generic alert rules the library adds for every application (`HostHealth`:
   * `HostDown`, `HostMetricsMissing`), as its default `forward_alert_rules=True` does.
   * Default true. The library's rule files (`src/prometheus_alert_rules`) are not read here.
   */
  readonly forwardAlertRules?: boolean;
}

/** What each unit writes. */
export interface ScrapeProviderUnitData {
  /** This unit's name, e.g. `gunicorn/0`. */
  readonly unit: string;
  /** The unit's address on the relation (`network-get`'s bind address). */
  readonly address: string;
  /**
   * An external URL (ingress): then its host and path are given instead of the address, as
   * with the library's `external_url`.
   */
  readonly externalUrl?: string;
  /** What the library falls back to when the address is not an IP: `socket.getfqdn()`. */
  readonly fqdn?: string;
}

const DEFAULT_JOB = { metrics_path: '/metrics', static_configs: [{ targets: ['*:80'] }] };

/**
 * One job as the library's `sanitize_scrape_config` leaves it: the default job's keys first
 * (`metrics_path`, `static_configs`), overridden by the job's, then the job's other allowed
 * keys in its order; keys outside {@link SCRAPE_JOB_KEYS} dropped.
 */
export function sanitizeScrapeJob(job: ScrapeJob): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { ...DEFAULT_JOB };
  for (const [key, value] of Object.entries(job)) {
    if (SCRAPE_JOB_KEYS.has(key) && value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * The leader's application bag, as `set_scrape_job_spec` writes it: `scrape_metadata` (the
 * topology), `scrape_jobs` (sanitized, or the default job) and `alert_rules` (the generic
 * rules with the topology's labels, or `{}`).
 */
export function prometheusScrapeProviderAppBag(data: ScrapeProviderAppData): DataBag {
  const { topology } = data;
  for (const key of ['model', 'modelUuid', 'application', 'unit', 'charmName'] as const) {
    if (!topology[key]) {
      throw new RelationDataError('BAD_VALUE', 'must not be empty', {
        iface: PROMETHEUS_SCRAPE_INTERFACE,
        bag: 'provider application bag',
        key: `scrape_metadata.${key}`,
      });
    }
  }
  const jobs = (data.jobs ?? []).map(sanitizeScrapeJob);
  return {
    scrape_metadata: pythonJson({
      model: topology.model,
      model_uuid: topology.modelUuid,
      application: topology.application,
      unit: topology.unit,
      charm_name: topology.charmName,
    }),
    scrape_jobs: pythonJson(jobs.length > 0 ? jobs : [DEFAULT_JOB]),
    alert_rules: pythonJson(
      data.forwardAlertRules === false ? {} : { groups: [hostHealthGroup(topology)] },
    ),
  };
}

/**
 * A unit's bag, as `_set_unit_ip` writes it: `prometheus_scrape_unit_address` (the address
 * when it is an IP, else `fqdn`; the external URL's host when there is one),
 * `prometheus_scrape_unit_path` (the external URL's path; absent when empty, as setting an
 * empty value deletes a key) and `prometheus_scrape_unit_name`.
 */
export function prometheusScrapeProviderUnitBag(data: ScrapeProviderUnitData): DataBag {
  let address = data.address;
  let path = '';
  if (data.externalUrl) {
    // As urlparse reads it: the host (lower case, without user, port or brackets) and the path.
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(data.externalUrl)
      ? data.externalUrl
      : `http://${data.externalUrl}`;
    const [, authority = '', urlPath = ''] = /^[^:]+:\/\/([^/?#]*)([^?#]*)/.exec(url) ?? [];
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    address = (
      host.startsWith('[') ? host.slice(1, host.indexOf(']')) : (host.split(':')[0] ?? '')
    ).toLowerCase();
    path = urlPath;
  } else if (isIP(address) === 0) {
    if (!data.fqdn) {
      throw new RelationDataError(
        'BAD_VALUE',
        `is not an IP address and no fqdn was given: ${JSON.stringify(address)}`,
        {
          iface: PROMETHEUS_SCRAPE_INTERFACE,
          bag: 'provider unit bag',
          key: 'prometheus_scrape_unit_address',
        },
      );
    }
    address = data.fqdn;
  }
  // The library sets the path even when empty, which deletes the key: it is absent then.
  return {
    prometheus_scrape_unit_address: address,
    ...(path && { prometheus_scrape_unit_path: path }),
    prometheus_scrape_unit_name: data.unit,
  };
}

/** cosl's topology identifier: `<model>_<uuid[:8]>_<application>`, `/` as `_`. */
function topologyIdentifier(topology: JujuTopology): string {
  return [topology.model, topology.modelUuid.slice(0, 8), topology.application]
    .join('_')
    .replaceAll('/', '_');
}

/** The `juju_*` labels cosl adds to every rule (`label_matcher_dict`). */
function topologyLabels(topology: JujuTopology): Record<string, string> {
  return {
    juju_model: topology.model,
    juju_model_uuid: topology.modelUuid,
    juju_application: topology.application,
    juju_charm: topology.charmName,
  };
}

/**
 * cosl's generic application rules (`generic_alert_groups.application_rules`) as the library
 * forwards them: the group renamed `<identifier>_HostHealth_rules` (invalid metric-name
 * characters as `_`), each rule labelled with the topology. The expressions are passed as
 * they are, as the library does when `cos-tool` is not in the charm.
 */
function hostHealthGroup(topology: JujuTopology): JsonValue {
  const labels = topologyLabels(topology);
  return {
    name: `${topologyIdentifier(topology)}_HostHealth_rules`.replace(/[^a-zA-Z0-9_:]/g, '_'),
    rules: [
      {
        alert: 'HostDown',
        expr: 'up < 1',
        for: '5m',
        labels: { severity: 'critical', ...labels },
        annotations: {
          summary: "Host '{{ $labels.instance }}' is down.",
          description:
            "Juju application '{{ $labels.juju_application }}' in model '{{ $labels.juju_model }}' is down. Prometheus has been unable to scrape it during at least the past five minutes.",
        },
      },
      {
        alert: 'HostMetricsMissing',
        expr: 'absent(up)',
        for: '5m',
        labels: { severity: 'warning', ...labels },
        annotations: {
          summary:
            "Unit '{{ $labels.juju_unit }}' of application '{{ $labels.juju_application }}' is down or failing to remote write.",
          description:
            "`Up` missing for unit '{{ $labels.juju_unit }}' of application {{ $labels.juju_application }} in model {{ $labels.juju_model }}. Please ensure the unit or the collector scraping it is up and is able to successfully reach the metrics backend.",
        },
      },
    ],
  };
}
