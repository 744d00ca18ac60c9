// grafana_datasource against `charms.grafana_k8s.v0.grafana_source` itself: the library's
// GrafanaSourceConsumer (the Grafana side) and GrafanaSourceProvider (the source side) run in
// ops' Harness in the Python ops venv on the same cases as ours, and both must agree byte for
// byte. The end-to-end proof (a Python source charm and the grafana charm in charm-sim) is in
// charms/grafana/e2e.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { defaultCharmLibsDir, defaultPythonVenv, pythonCharmProblem } from '@charm-ts/sim';
import { describe, expect, it } from 'vitest';
import type { DataBag } from '../bag.ts';
import { RelationDataError } from '../errors.ts';
import {
  grafanaSourceProviderAppBag,
  grafanaSourceProviderUnitBag,
  readGrafanaSourceAnswerBag,
} from './provider.ts';
import { grafanaSourceAnswerBag, readGrafanaSources } from './requirer.ts';
import type { GrafanaSourceData } from './schema.ts';

const LIB = 'charms.grafana_k8s.v0.grafana_source';
const problem = pythonCharmProblem({ libs: [LIB], modules: ['cosl'] });
if (problem && process.env.CI)
  throw new Error(`the grafana_source library test cannot run: ${problem}`);

const SCRIPT = `
import json, os, socket, sys, logging
logging.disable(logging.CRITICAL)
os.environ["JUJU_VERSION"] = "3.6.4"
import ops
from ops.testing import Harness
from charms.grafana_k8s.v0.grafana_source import GrafanaSourceConsumer, GrafanaSourceProvider

GRAFANA = "name: grafana\\nrequires:\\n  grafana-source:\\n    interface: grafana_datasource\\npeers:\\n  grafana:\\n    interface: grafana_peers\\n"
SOURCE = "name: prom\\ncontainers:\\n  prom: {}\\nprovides:\\n  grafana-source:\\n    interface: grafana_datasource\\n"

def attempt(fn, *args):
    try:
        return {"ok": fn(*args)}
    except Exception as e:
        return {"error": type(e).__name__}

def consume(case):
    class C(ops.CharmBase):
        def __init__(self, fw):
            super().__init__(fw)
            self.consumer = GrafanaSourceConsumer(self, grafana_uid=case["uid"], grafana_base_url=case["url"])
        @property
        def peers(self):
            return self.model.get_relation("grafana")
    h = Harness(C, meta=GRAFANA)
    h.set_leader(True)
    h.begin()
    h.add_relation("grafana", "grafana")
    rid = h.add_relation("grafana-source", case["app"])
    for unit, bag in case["units"].items():
        h.add_relation_unit(rid, unit)
        h.update_relation_data(rid, unit, bag)
    h.update_relation_data(rid, case["app"], case["appBag"])
    return {
        "sources": sorted(h.charm.consumer.sources, key=lambda s: s["unit"]),
        "answer": dict(h.get_relation_data(rid, "grafana")),
    }

def provide(case):
    class C(ops.CharmBase):
        def __init__(self, fw):
            super().__init__(fw)
            self.source = GrafanaSourceProvider(self, **case["kwargs"])
    h = Harness(C, meta=SOURCE)
    h.set_model_name(case["model"])
    h.set_model_uuid(case["uuid"])
    h.set_leader(True)
    h.begin()
    rid = h.add_relation("grafana-source", "grafana")
    h.add_relation_unit(rid, "grafana/0")
    h.update_relation_data(rid, "grafana", case["answer"])
    return {
        "app": dict(h.get_relation_data(rid, "prom")),
        "unit": dict(h.get_relation_data(rid, "prom/0")),
        "fqdn": socket.getfqdn(),
        "read": {k: {"uids": v.datasource_uids, "url": v.external_url} for k, v in h.charm.source.get_source_data().items()},
    }

cases = json.load(sys.stdin)
print(json.dumps({
    "consume": [attempt(consume, c) for c in cases["consume"]],
    "provide": [attempt(provide, c) for c in cases["provide"]],
}))
`;

interface ConsumeCase {
  readonly app: string;
  readonly appBag: DataBag;
  readonly units: Record<string, DataBag>;
  readonly uid: string;
  readonly url: string;
}
interface ProvideCase {
  readonly model: string;
  readonly uuid: string;
  readonly kwargs: {
    source_type: string;
    source_port?: string;
    source_url?: string;
    extra_fields?: Record<string, unknown>;
    secure_extra_fields?: Record<string, unknown>;
  };
  readonly answer: DataBag;
}
interface Answer<T> {
  readonly ok?: T;
  readonly error?: string;
}
interface LibrarySource {
  unit: string;
  source_name: string;
  source_type: string;
  url: string;
  extra_fields?: unknown;
  secure_extra_fields?: unknown;
}
interface Answers {
  consume: Answer<{ sources: LibrarySource[]; answer: DataBag }>[];
  provide: Answer<{
    app: DataBag;
    unit: DataBag;
    fqdn: string;
    read: Record<string, { uids: Record<string, string>; url: string | null }>;
  }>[];
}

const UUID = '0f5e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const sourceData = (fields: Record<string, unknown>) =>
  JSON.stringify({
    model: 'cos',
    model_uuid: UUID,
    application: 'prometheus',
    type: 'prometheus',
    extra_fields: null,
    secure_extra_fields: null,
    ...fields,
  });

const CONSUME: ConsumeCase[] = [
  // Two Prometheus units; hosts with and without a scheme.
  {
    app: 'prometheus',
    appBag: { grafana_source_data: sourceData({}) },
    units: {
      'prometheus/0': { grafana_source_host: 'http://prometheus-0.prometheus-endpoints:9090' },
      'prometheus/1': { grafana_source_host: '10.1.2.4:9090' },
    },
    uid: 'juju_grafana-model_1234_grafana',
    url: 'http://grafana.example:3000',
  },
  // Extra and secure extra fields; a unit that is not a datasource ('').
  {
    app: 'loki',
    appBag: {
      grafana_source_data: sourceData({
        application: 'loki',
        type: 'loki',
        extra_fields: { timeout: 600, derivedFields: [{ name: 'é' }] },
        secure_extra_fields: { password: 's3cret' },
      }),
    },
    units: {
      'loki/3': { grafana_source_host: 'https://loki-3:3100' },
      'loki/4': { grafana_source_host: '' },
    },
    uid: 'g',
    url: '',
  },
  // Empty extra fields are left out; an empty source data offers nothing.
  {
    app: 'tempo',
    appBag: { grafana_source_data: sourceData({ type: 'tempo', extra_fields: {} }) },
    units: { 'tempo/0': { grafana_source_host: 'tempo:3200' } },
    uid: 'g',
    url: 'u',
  },
  { app: 'x', appBag: { grafana_source_data: '{}' }, units: { 'x/0': {} }, uid: 'g', url: 'u' },
  // Data the library cannot read: it raises, we throw.
  {
    app: 'bad',
    appBag: { grafana_source_data: '{not json' },
    units: { 'bad/0': { grafana_source_host: 'h:1' } },
    uid: 'g',
    url: 'u',
  },
  {
    app: 'bad',
    appBag: { grafana_source_data: JSON.stringify({ model: 'm', type: 'prometheus' }) },
    units: { 'bad/0': { grafana_source_host: 'h:1' } },
    uid: 'g',
    url: 'u',
  },
];

const PROVIDE: ProvideCase[] = [
  {
    model: 'cos',
    uuid: UUID,
    kwargs: { source_type: 'prometheus', source_port: '9090' },
    answer: {
      grafana_uid: 'juju_dev_1234_grafana',
      datasource_uids: '{"prom/0": "juju_cos_x_prom_0"}',
      grafana_base_url: 'http://grafana.example:3000',
    },
  },
  {
    model: 'cos',
    uuid: UUID,
    kwargs: {
      source_type: 'loki',
      source_url: 'loki.example:3100/api',
      extra_fields: { timeout: 60, é: [1, 0.5] },
      secure_extra_fields: { token: 't' },
    },
    answer: { grafana_uid: 'g' },
  },
  {
    model: 'm',
    uuid: UUID,
    kwargs: { source_type: 'alertmanager', source_port: '9093' },
    answer: {},
  },
  {
    model: 'm',
    uuid: UUID,
    kwargs: { source_type: 'alertmanager', source_port: '9093', extra_fields: { a: 1 } },
    answer: { grafana_uid: 'g', datasource_uids: '{}' },
  },
  {
    model: 'm',
    uuid: UUID,
    kwargs: { source_type: 'mimir', source_url: 'https://mimir' },
    answer: {},
  },
];

let answers: Answers;
function library(): Answers {
  answers ??= JSON.parse(
    execFileSync(join(defaultPythonVenv(), 'bin', 'python3'), ['-c', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: defaultCharmLibsDir() },
      stdio: ['pipe', 'pipe', 'pipe'],
      input: JSON.stringify({ consume: CONSUME, provide: PROVIDE }),
    }),
  ) as Answers;
  return answers;
}

function ours<T>(read: () => T): Answer<T> {
  try {
    return { ok: read() };
  } catch (error) {
    if (error instanceof RelationDataError) return { error: 'raises' };
    throw error;
  }
}

describe.skipIf(problem)(
  `grafana_datasource against ${LIB} (LIBPATCH 29)${problem ? ` (skipped: ${problem})` : ''}`,
  () => {
    it('reads the sources a relation offers as GrafanaSourceConsumer does, and answers the same', () => {
      CONSUME.forEach((c, i) => {
        const lib = library().consume[i] as Answer<{ sources: LibrarySource[]; answer: DataBag }>;
        const read = readGrafanaSources([{ id: 1, app: c.app, appBag: c.appBag, units: c.units }]);
        if (lib.error) {
          expect(read.sources, JSON.stringify(c)).toEqual([]);
          expect(read.problems.map((p) => p.relationId)).toEqual([1]);
          return;
        }
        expect(read.problems).toEqual([]);
        const mine = read.sources.map((s) => ({
          unit: s.unit,
          source_name: s.name,
          source_type: s.type,
          url: s.url,
          ...(s.jsonData && { extra_fields: s.jsonData }),
          ...(s.secureJsonData && { secure_extra_fields: s.secureJsonData }),
        }));
        expect(mine, JSON.stringify(c)).toEqual(lib.ok?.sources);
        if (read.sources.length === 0) return;
        const answer = grafanaSourceAnswerBag({
          grafanaUid: c.uid,
          datasourceUids: Object.fromEntries(read.sources.map((s) => [s.unit, s.name])),
          grafanaBaseUrl: c.url,
        });
        // datasource_uids follows the library's unit order (a Python set): compare it decoded.
        const { datasource_uids: libUids, ...libRest } = lib.ok?.answer ?? {};
        const { datasource_uids: ourUids, ...ourRest } = answer;
        expect(ourRest).toEqual(libRest);
        expect(JSON.parse(ourUids ?? '')).toEqual(JSON.parse(libUids ?? ''));
        if (read.sources.length === 1) expect(ourUids).toBe(libUids);
      });
    });

    it('writes the bags GrafanaSourceProvider writes and reads the answer as it does', () => {
      PROVIDE.forEach((c, i) => {
        const lib = library().provide[i]?.ok;
        expect(lib, JSON.stringify(c)).toBeDefined();
        if (!lib) return;
        const data: GrafanaSourceData = {
          model: c.model,
          modelUuid: c.uuid,
          application: 'prom',
          type: c.kwargs.source_type,
          ...(c.kwargs.extra_fields && { extraFields: c.kwargs.extra_fields as never }),
          ...(c.kwargs.secure_extra_fields && {
            secureExtraFields: c.kwargs.secure_extra_fields as never,
          }),
        };
        expect(grafanaSourceProviderAppBag(data)).toEqual(lib.app);
        const url = c.kwargs.source_url || `http://${lib.fqdn}:${c.kwargs.source_port}`;
        expect(grafanaSourceProviderUnitBag(url, c.kwargs.source_type)).toEqual(lib.unit);
        const read = readGrafanaSourceAnswerBag(c.answer);
        const mine = read
          ? { [read.grafanaUid]: { uids: read.datasourceUids, url: read.grafanaBaseUrl ?? null } }
          : {};
        expect(mine).toEqual(lib.read);
      });
    });

    it('refuses what the library cannot read', () => {
      expect(
        ours(() => readGrafanaSourceAnswerBag({ grafana_uid: 'g', datasource_uids: '[' })),
      ).toEqual({
        error: 'raises',
      });
    });
  },
);
