// ingress v2 against `charms.traefik_k8s.v2.ingress` itself: the library's own models dump and
// load the same cases in the Python ops venv, and both sides must agree byte for byte. The
// end-to-end proof (a Python provider charm and the hello-kubecon charm in charm-sim) is in
// charms/hello-kubecon/e2e.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { defaultCharmLibsDir, defaultPythonVenv, pythonCharmProblem } from '@charm-ts/sim';
import { describe, expect, it } from 'vitest';
import { bagChanges, type DataBag } from '../bag.ts';
import { RelationDataError } from '../errors.ts';
import { pythonJson } from '../json.ts';
import {
  ingressProviderAppBag,
  readIngressRequirerAppBag,
  readIngressRequirerUnitBag,
} from './provider.ts';
import {
  ingressRequirerAppBag,
  ingressRequirerUnitBag,
  readIngressProviderAppBag,
} from './requirer.ts';
import type { IngressRequirerAppData } from './schema.ts';

const LIB = 'charms.traefik_k8s.v2.ingress';
const problem = pythonCharmProblem({ libs: [LIB], modules: ['pydantic'] });
if (problem && process.env.CI) throw new Error(`the ingress library test cannot run: ${problem}`);

// One Python run answers every case, each with the value the library gives or its error's name.
const SCRIPT = `
import json, sys
from charms.traefik_k8s.v2.ingress import (
    IngressHealthCheck, IngressProviderAppData, IngressRequirerAppData, IngressRequirerUnitData,
)

def attempt(fn, *args):
    try:
        return {"ok": fn(*args)}
    except Exception as e:
        return {"error": type(e).__name__}

def requirer_app(case):
    fields = dict(case["fields"])
    if "healthcheck_params" in fields:
        fields["healthcheck_params"] = IngressHealthCheck(**fields["healthcheck_params"])
    return IngressRequirerAppData(**fields).dump(dict(case["before"]))

def requirer_unit(case):
    return IngressRequirerUnitData(**case["fields"]).dump(dict(case["before"]))

def provider_read(bag):
    # IngressPerAppRequirer._get_url_from_relation_data, without the relation around it.
    if not bag:
        return None
    ingress = IngressProviderAppData.load(bag).ingress
    return None if ingress is None else str(ingress.url)

def provider_write(url):
    return IngressProviderAppData(ingress={"url": url}).dump({})

def requirer_read(bag):
    return IngressRequirerAppData.load(bag).model_dump(mode="json", by_alias=True)

def unit_read(bag):
    return IngressRequirerUnitData.load(bag).model_dump(mode="json")

cases = json.load(sys.stdin)
print(json.dumps({
    "requirerApp": [attempt(requirer_app, c) for c in cases["requirerApp"]],
    "requirerUnit": [attempt(requirer_unit, c) for c in cases["requirerUnit"]],
    "providerRead": [attempt(provider_read, b) for b in cases["providerRead"]],
    "providerWrite": [attempt(provider_write, u) for u in cases["providerWrite"]],
    "requirerRead": [attempt(requirer_read, b) for b in cases["requirerRead"]],
    "unitRead": [attempt(unit_read, b) for b in cases["unitRead"]],
    "json": [json.dumps(v) for v in cases["json"]],
}))
`;

interface Answer<T> {
  readonly ok?: T;
  readonly error?: string;
}
interface Answers {
  requirerApp: Answer<DataBag>[];
  requirerUnit: Answer<DataBag>[];
  providerRead: Answer<string | null>[];
  providerWrite: Answer<DataBag>[];
  requirerRead: Answer<Record<string, unknown>>[];
  unitRead: Answer<Record<string, unknown>>[];
  json: string[];
}

/** What the library calls each field of IngressRequirerAppData, from ours. */
function libraryFields(data: IngressRequirerAppData): Record<string, unknown> {
  const hc = data.healthcheck;
  return {
    model: data.model,
    name: data.name,
    port: data.port,
    ...(data.isPortOpen !== undefined && { is_port_open: data.isPortOpen }),
    ...(data.stripPrefix !== undefined && { strip_prefix: data.stripPrefix }),
    ...(data.redirectHttps !== undefined && { redirect_https: data.redirectHttps }),
    ...(data.scheme !== undefined && { scheme: data.scheme }),
    ...(hc && { healthcheck_params: hc }),
  };
}

const REQUESTS: { data: IngressRequirerAppData; before: DataBag }[] = [
  // hello-kubecon's request, over what the original charm (ingress v1) left in the bag.
  {
    data: { model: 'demo', name: 'hello-kubecon', port: 8080, stripPrefix: true, isPortOpen: true },
    before: {
      model: '"demo"',
      name: '"hello-kubecon"',
      host: '"hello-kubecon-endpoints.demo.svc.cluster.local"',
      port: '8080',
      'strip-prefix': 'true',
    },
  },
  { data: { model: 'm', name: 'a', port: 80 }, before: {} },
  {
    data: {
      model: 'm',
      name: 'a',
      port: 65534,
      isPortOpen: false,
      stripPrefix: false,
      redirectHttps: true,
      scheme: 'https',
      healthcheck: { path: '/ready', port: 81, interval: '30s', timeout: '1s', hostname: 'x' },
    },
    before: { scheme: '"http"' },
  },
  { data: { model: 'é-model', name: 'a', port: 1, scheme: 'h2c' }, before: {} },
];
const UNITS = [
  { host: 'hello-kubecon-0.hello-kubecon-endpoints.demo.svc.cluster.local', ip: '10.1.2.3' },
  { host: 'h', ip: 'fd00::7' },
  { host: 'h' },
];
const PROVIDER_BAGS: DataBag[] = [
  {},
  { other: 'x' },
  { ingress: 'null' },
  { ingress: '{"url": "http://ingress.example/demo-hello-kubecon"}' },
  { ingress: '{"url": "HTTP://GW.Example"}' },
  { ingress: '{"url": "https://gw.example:8443/a/b?c=d"}' },
  { ingress: '{"url": "https://gw.example/a b"}' },
  { ingress: 'http://not-json' },
  { ingress: '"http://gw/x"' },
  { ingress: '{"url": "ftp://gw/x"}' },
  { ingress: '{"url": "http://"}' },
  { ingress: '{"url": null}' },
  { ingress: '{}' },
];
const URLS = ['http://ingress.example/demo-hello-kubecon', 'https://GW.example', 'http://gw:81/x/'];
const REQUIRER_BAGS: DataBag[] = [
  ...REQUESTS.map((r) => ingressRequirerAppBag(r.data)),
  { model: '"m"', name: '"a"', port: '"80"' },
  { model: '"m"', name: '"a"', port: '0' },
  { model: '"m"', name: '"a"' },
  { model: '"m"', name: '"a"', port: '80', scheme: '"ftp"' },
  { model: '"m"', name: '"a"', port: '80', host: 'not json: ignored' },
  { model: '"m"', name: '"a"', port: 'eighty' },
];
const UNIT_BAGS: DataBag[] = [
  ...UNITS.map((u) => ingressRequirerUnitBag(u)),
  { host: '"h"', ip: '"10.0.0.256"' },
  { ip: '"10.0.0.1"' },
];
const JSON_VALUES = ['demo', 'é😀\x7f', 0.5, 1e-5, { path: '/', port: 80 }, [true, null]];

let answers: Answers;
function library(): Answers {
  answers ??= JSON.parse(
    execFileSync(join(defaultPythonVenv(), 'bin', 'python3'), ['-c', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: defaultCharmLibsDir() },
      // The library logs refusals on stderr; the answers say the same.
      stdio: ['pipe', 'pipe', 'pipe'],
      input: JSON.stringify({
        requirerApp: REQUESTS.map((r) => ({ fields: libraryFields(r.data), before: r.before })),
        requirerUnit: UNITS.map((u) => ({ fields: u, before: { host: '"stale"', port: '1' } })),
        providerRead: PROVIDER_BAGS,
        providerWrite: URLS,
        requirerRead: REQUIRER_BAGS,
        unitRead: UNIT_BAGS,
        json: JSON_VALUES,
      }),
    }),
  ) as Answers;
  return answers;
}

/** Our reading, in the library's vocabulary: a value, or the library's error name. */
function ours<T>(read: () => T): Answer<T> {
  try {
    return { ok: read() };
  } catch (error) {
    if (error instanceof RelationDataError) return { error: 'DataValidationError' };
    throw error;
  }
}

describe.skipIf(problem)(
  `ingress v2 against ${LIB} (LIBPATCH 21)${problem ? ` (skipped: ${problem})` : ''}`,
  () => {
    it('writes the requirer application bag the library writes, stale keys removed', () => {
      REQUESTS.forEach((request, i) => {
        const want = ingressRequirerAppBag(request.data);
        expect(library().requirerApp[i], JSON.stringify(request)).toEqual({ ok: want });
        // What a relation-set of bagChanges leaves in the bag: the library's bag, exactly.
        const after = { ...request.before, ...bagChanges(request.before, want) };
        expect(Object.fromEntries(Object.entries(after).filter(([, v]) => v !== ''))).toEqual(want);
      });
    });

    it('writes the unit bags the library writes', () => {
      UNITS.forEach((unit, i) => {
        expect(library().requirerUnit[i]).toEqual({ ok: ingressRequirerUnitBag(unit) });
      });
    });

    it("reads the provider's answer as the library reads it", () => {
      PROVIDER_BAGS.forEach((bag, i) => {
        const lib = library().providerRead[i];
        const read = ours(() => readIngressProviderAppBag(bag)?.url ?? null);
        expect(read, JSON.stringify(bag)).toEqual(lib);
      });
    });

    it('writes the provider answer the library writes', () => {
      URLS.forEach((url, i) => {
        expect(library().providerWrite[i], url).toEqual({ ok: ingressProviderAppBag(url) });
      });
    });

    it("reads the requirer's bags as the provider library does", () => {
      REQUIRER_BAGS.forEach((bag, i) => {
        const lib = library().requirerRead[i];
        const read = ours(() => {
          const r = readIngressRequirerAppBag(bag);
          const hc = r.healthcheck;
          return {
            model: r.model,
            name: r.name,
            port: r.port,
            is_port_open: r.isPortOpen,
            healthcheck_params: hc ? { scheme: null, hostname: null, port: null, ...hc } : null,
            'strip-prefix': r.stripPrefix,
            'redirect-https': r.redirectHttps,
            scheme: r.scheme,
          };
        });
        expect(read, JSON.stringify(bag)).toEqual(lib);
      });
      UNIT_BAGS.forEach((bag, i) => {
        const lib = library().unitRead[i];
        const read = ours(() => ({ ip: null, ...readIngressRequirerUnitBag(bag) }));
        expect(read, JSON.stringify(bag)).toEqual(lib);
      });
    });

    it("encodes JSON as the library's json.dumps does", () => {
      expect(JSON_VALUES.map((v) => pythonJson(v))).toEqual(library().json);
    });
  },
);
