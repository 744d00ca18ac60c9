// prometheus_scrape against `charms.prometheus_k8s.v0.prometheus_scrape` itself: the library's
// MetricsEndpointProvider runs in ops' Harness in the Python ops venv on the same cases as
// ours, and both must write the same bags byte for byte. The end-to-end proof (the library's
// MetricsEndpointConsumer reading the gunicorn charm's bags in charm-sim) is in
// charms/gunicorn/e2e.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { defaultCharmLibsDir, defaultPythonVenv, pythonCharmProblem } from '@charm-ts/sim';
import { describe, expect, it } from 'vitest';
import type { DataBag } from '../bag.ts';
import {
  prometheusScrapeProviderAppBag,
  prometheusScrapeProviderUnitBag,
  type ScrapeJob,
} from './provider.ts';

const LIB = 'charms.prometheus_k8s.v0.prometheus_scrape';
const problem = pythonCharmProblem({ libs: [LIB], modules: ['cosl'] });
if (problem && process.env.CI) {
  throw new Error(`the prometheus_scrape library test cannot run: ${problem}`);
}

const SCRIPT = `
import json, os, sys, logging
logging.disable(logging.CRITICAL)
os.environ["JUJU_VERSION"] = "3.6.4"
import ops
from ops.testing import Harness
from charms.prometheus_k8s.v0.prometheus_scrape import MetricsEndpointProvider

META = "name: gunicorn-k8s\\ncontainers:\\n  gunicorn: {}\\nprovides:\\n  metrics-endpoint:\\n    interface: prometheus_scrape\\n"

def provide(case):
    kwargs = {k: v for k, v in case.items() if k in ("jobs", "external_url", "forward_alert_rules")}
    class C(ops.CharmBase):
        def __init__(self, fw):
            super().__init__(fw)
            self.metrics = MetricsEndpointProvider(self, **kwargs)
    h = Harness(C, meta=META)
    h.set_model_name(case["model"])
    h.set_model_uuid(case["uuid"])
    h.add_network(case["address"])
    h.set_leader(True)
    h.begin()
    rid = h.add_relation("metrics-endpoint", "prometheus")
    h.add_relation_unit(rid, "prometheus/0")
    return {
        "app": dict(h.get_relation_data(rid, "gunicorn-k8s")),
        "unit": dict(h.get_relation_data(rid, "gunicorn-k8s/0")),
    }

print(json.dumps([provide(c) for c in json.load(sys.stdin)]))
`;

interface Case {
  readonly model: string;
  readonly uuid: string;
  readonly address: string;
  readonly jobs?: ScrapeJob[];
  readonly external_url?: string;
  readonly forward_alert_rules?: boolean;
}

const UUID = '12345678-1234-4234-8234-123456789abc';
const CASES: Case[] = [
  // The gunicorn charm's job: the exporter on each unit.
  {
    model: 'dev',
    uuid: UUID,
    address: '10.1.2.3',
    jobs: [{ static_configs: [{ targets: ['*:9102'] }] }],
  },
  // No jobs: the library's default job; a model name with characters a metric name cannot have.
  { model: 'my-model.x', uuid: UUID, address: 'fd00::3' },
  // Keys outside the allowed set are dropped; the default's keys stay first.
  {
    model: 'm',
    uuid: UUID,
    address: '10.0.0.1',
    jobs: [
      {
        job_name: 'app',
        scrape_interval: '30s',
        honor_labels: true,
        metrics_path: '/stats',
        static_configs: [{ targets: ['*:8080', 'db:9187'], labels: { team: 'web' } }],
      },
      { scheme: 'https', params: { module: ['http_2xx'] } },
    ],
    forward_alert_rules: false,
  },
  // Behind ingress: the external URL's host and path instead of the address.
  {
    model: 'm',
    uuid: UUID,
    address: '10.0.0.1',
    external_url: 'https://GW.example:8443/m-gunicorn/',
  },
  { model: 'm', uuid: UUID, address: '10.0.0.1', external_url: 'gw.example' },
];

let answers: { app: DataBag; unit: DataBag }[];
function library() {
  answers ??= JSON.parse(
    execFileSync(join(defaultPythonVenv(), 'bin', 'python3'), ['-c', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: defaultCharmLibsDir() },
      stdio: ['pipe', 'pipe', 'pipe'],
      input: JSON.stringify(CASES),
    }),
  );
  return answers;
}

describe.skipIf(problem)(
  `prometheus_scrape provider against ${LIB} (LIBPATCH 56)${problem ? ` (skipped: ${problem})` : ''}`,
  () => {
    it('writes the application bag MetricsEndpointProvider writes', () => {
      CASES.forEach((c, i) => {
        const ours = prometheusScrapeProviderAppBag({
          topology: {
            model: c.model,
            modelUuid: c.uuid,
            application: 'gunicorn-k8s',
            unit: 'gunicorn-k8s/0',
            charmName: 'gunicorn-k8s',
          },
          ...(c.jobs && { jobs: c.jobs }),
          ...(c.forward_alert_rules !== undefined && { forwardAlertRules: c.forward_alert_rules }),
        });
        expect(ours, JSON.stringify(c)).toEqual(library()[i]?.app);
      });
    });

    it('writes the unit bag MetricsEndpointProvider writes', () => {
      CASES.forEach((c, i) => {
        const ours = prometheusScrapeProviderUnitBag({
          unit: 'gunicorn-k8s/0',
          address: c.address,
          ...(c.external_url && { externalUrl: c.external_url }),
        });
        expect(ours, JSON.stringify(c)).toEqual(library()[i]?.unit);
      });
    });
  },
);
