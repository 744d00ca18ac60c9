// The database protocol against `charms.data_platform_libs.v0.data_interfaces` itself: the
// library's DatabaseRequires and DatabaseProvides run in ops' Harness in the Python ops venv, on
// the same cases as ours, and both must agree byte for byte (the library's `data` key, its
// private change-detection copy, aside). The end-to-end proof (a Python PostgreSQL provider
// charm and the gunicorn charm in charm-sim) is in charms/gunicorn/e2e.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { defaultCharmLibsDir, defaultPythonVenv, pythonCharmProblem } from '@charm-ts/sim';
import { describe, expect, it } from 'vitest';
import type { DataBag } from '../bag.ts';
import { RelationDataError } from '../errors.ts';
import {
  databaseProviderAppBag,
  databaseProviderSecrets,
  readDatabaseRequirerAppBag,
} from './provider.ts';
import {
  databaseRequirerAppBag,
  databaseRequirerUnitBag,
  databaseSecretRefs,
  readDatabaseProviderAppBag,
} from './requirer.ts';
import type {
  DatabaseAnswerData,
  DatabaseRequest,
  DatabaseSecretGroup,
  DatabaseSecrets,
} from './schema.ts';

const LIB = 'charms.data_platform_libs.v0.data_interfaces';
const problem = pythonCharmProblem({ libs: [LIB] });
if (problem && process.env.CI) throw new Error(`the database library test cannot run: ${problem}`);

// One Python run answers every case. Secrets are Harness model secrets; `SECRET:<group>` in a
// bag stands for the id of the case's secret of that group.
const SCRIPT = `
import json, os, sys, logging
logging.disable(logging.CRITICAL)
os.environ["JUJU_VERSION"] = "3.6.4"
import ops
from ops.testing import Harness
from charms.data_platform_libs.v0.data_interfaces import DatabaseProvides, DatabaseRequires

REQ_META = "name: gunicorn-k8s\\nrequires:\\n  pg:\\n    interface: postgresql_client\\n    limit: 1\\n"
PROV_META = "name: postgresql\\nprovides:\\n  database:\\n    interface: postgresql_client\\n"

def attempt(fn, *args):
    try:
        return {"ok": fn(*args)}
    except Exception as e:
        return {"error": type(e).__name__}

def requirer(case, leader=True):
    class Req(ops.CharmBase):
        def __init__(self, fw):
            super().__init__(fw)
            self.db = DatabaseRequires(self, "pg", **case)
    h = Harness(Req, meta=REQ_META)
    h.set_leader(leader)
    h.begin()
    rid = h.add_relation("pg", "postgresql")
    return h, rid

def requirer_bags(case):
    h, rid = requirer(case)
    _, rid2 = None, None
    follower, frid = requirer(case, leader=False)
    return {
        "app": dict(h.get_relation_data(rid, "gunicorn-k8s")),
        "unit": dict(h.get_relation_data(rid, "gunicorn-k8s/0")),
        "follower_unit": dict(follower.get_relation_data(frid, "gunicorn-k8s/0")),
    }

def requirer_read(case):
    h, rid = requirer({"database_name": "gunicorn-k8s"})
    h.add_relation_unit(rid, "postgresql/0")
    ids = {}
    for group, content in case["secrets"].items():
        sid = h.add_model_secret("postgresql", content)
        h.grant_secret(sid, "gunicorn-k8s")
        ids[group] = sid
    bag = {k: ids[v[7:]] if v.startswith("SECRET:") else v for k, v in case["bag"].items()}
    h.update_relation_data(rid, "postgresql", bag)
    return {
        "fields": h.charm.db.fetch_relation_data()[rid],
        "created": h.charm.db.is_resource_created(rid),
        "ids": ids,
    }

def provider(case):
    answer = case["answer"]
    seen = {}
    class Prov(ops.CharmBase):
        def __init__(self, fw):
            super().__init__(fw)
            self.db = DatabaseProvides(self, "database")
            fw.observe(self.db.on.database_requested, self._requested)
        def _requested(self, event):
            seen["database"] = event.database
            seen["extra_user_roles"] = event.extra_user_roles
            seen["external_node_connectivity"] = event.external_node_connectivity
            rid = event.relation.id
            if "database" in answer: self.db.set_database(rid, answer["database"])
            self.db.set_credentials(rid, answer["username"], answer["password"])
            if "endpoints" in answer: self.db.set_endpoints(rid, answer["endpoints"])
            if "read-only-endpoints" in answer:
                self.db.set_read_only_endpoints(rid, answer["read-only-endpoints"])
            if "version" in answer: self.db.set_version(rid, answer["version"])
            if "uris" in answer: self.db.set_uris(rid, answer["uris"])
            if "tls" in answer: self.db.set_tls(rid, answer["tls"])
            if "tls-ca" in answer: self.db.set_tls_ca(rid, answer["tls-ca"])
    h = Harness(Prov, meta=PROV_META)
    h.set_leader(True)
    h.begin()
    rid = h.add_relation("database", "gunicorn-k8s")
    h.add_relation_unit(rid, "gunicorn-k8s/0")
    h.update_relation_data(rid, "gunicorn-k8s", case["request"])
    bag = dict(h.get_relation_data(rid, "postgresql"))
    bag.pop("data", None)
    secrets = {}
    for key, value in bag.items():
        if key.startswith("secret-"):
            secrets[key[7:]] = {"id": value, "content": h.model.get_secret(id=value).peek_content()}
    return {"bag": bag, "secrets": secrets, "seen": seen}

cases = json.load(sys.stdin)
print(json.dumps({
    "requirerBags": [attempt(requirer_bags, c) for c in cases["requirerBags"]],
    "requirerRead": [attempt(requirer_read, c) for c in cases["requirerRead"]],
    "provider": [attempt(provider, c) for c in cases["provider"]],
}))
`;

interface Answer<T> {
  readonly ok?: T;
  readonly error?: string;
}
interface Answers {
  requirerBags: Answer<{ app: DataBag; unit: DataBag; follower_unit: DataBag }>[];
  requirerRead: Answer<{
    fields: Record<string, string>;
    created: boolean;
    ids: Record<string, string>;
  }>[];
  provider: Answer<{
    bag: DataBag;
    secrets: Record<string, { id: string; content: Record<string, string> }>;
    seen: Record<string, unknown>;
  }>[];
}

const REQUESTS: { ours: DatabaseRequest; library: Record<string, unknown> }[] = [
  { ours: { database: 'gunicorn-k8s' }, library: { database_name: 'gunicorn-k8s' } },
  {
    ours: { database: 'app', extraUserRoles: 'SUPERUSER', externalNodeConnectivity: true },
    library: {
      database_name: 'app',
      extra_user_roles: 'SUPERUSER',
      external_node_connectivity: true,
    },
  },
];

/** Provider bags and secrets, as a requirer finds them. */
const PROVIDER_ANSWERS: { bag: DataBag; secrets: DatabaseSecrets }[] = [
  // Nothing yet, then the endpoints before the credentials.
  { bag: {}, secrets: {} },
  { bag: { endpoints: 'pg-0.pg-endpoints:5432', database: 'gunicorn-k8s' }, secrets: {} },
  // Current PostgreSQL charms: credentials in the user secret.
  {
    bag: {
      database: 'gunicorn-k8s',
      endpoints: 'postgresql-k8s-primary.dev.svc.cluster.local:5432',
      'read-only-endpoints': 'postgresql-k8s-replicas.dev.svc.cluster.local:5432',
      version: '14.15',
      'secret-user': 'SECRET:user',
      'secret-tls': 'SECRET:tls',
    },
    secrets: {
      user: { username: 'relation_id_7', password: 'Zq&w<x>"1' },
      tls: { tls: 'True', 'tls-ca': '-----BEGIN CERTIFICATE-----\nMII\n' },
    },
  },
  // A provider without secrets: everything in clear.
  {
    bag: {
      database: 'gunicorn-k8s',
      endpoints: '10.1.0.5:5432,10.1.0.6:5432',
      username: 'relation-7',
      password: 'pw',
      version: '15.4',
      tls: 'False',
      data: '{"database": "gunicorn-k8s"}',
    },
    secrets: {},
  },
  // The secret wins over clear fields; an empty secret sends the library back to the bag.
  {
    bag: { 'secret-user': 'SECRET:user', username: 'clear', password: 'clear', endpoints: 'h' },
    secrets: { user: { username: 'from-secret', password: 'p', uris: 'postgresql://x' } },
  },
  {
    bag: { 'secret-user': 'SECRET:user', username: 'clear', password: 'clear' },
    secrets: { user: { other: 'x' } },
  },
  // Half the credentials: not created yet.
  { bag: { 'secret-user': 'SECRET:user' }, secrets: { user: { username: 'u' } } },
];

const LIST = JSON.stringify;
const ALL = LIST([
  'username',
  'password',
  'tls',
  'tls-ca',
  'uris',
  'read-only-uris',
  'entity-name',
  'entity-password',
]);
/** What providers answer with, for requirer bags of several ages. */
const PROVIDER_CASES: { request: DataBag; answer: DatabaseAnswerData; library: DataBag }[] = [
  {
    request: {
      database: 'gunicorn-k8s',
      'requested-secrets': ALL,
      'provided-secrets': '["mtls-cert"]',
    },
    answer: {
      database: 'gunicorn-k8s',
      username: 'relation_id_1',
      password: 'secret-pw',
      endpoints: [{ host: '10.1.0.5', port: 5432 }],
      readOnlyEndpoints: [
        { host: '10.1.0.6', port: 5432 },
        { host: 'fd00::7', port: 5433 },
      ],
      version: '15.4',
      tls: 'False',
    },
    library: {
      database: 'gunicorn-k8s',
      username: 'relation_id_1',
      password: 'secret-pw',
      endpoints: '10.1.0.5:5432',
      'read-only-endpoints': '10.1.0.6:5432,[fd00::7]:5433',
      version: '15.4',
      tls: 'False',
    },
  },
  // An old requirer, without requested-secrets: in clear.
  {
    request: { database: 'app', 'extra-user-roles': 'SUPERUSER' },
    answer: { username: 'u', password: 'p', endpoints: [{ host: 'h', port: 1 }], uris: 'x://' },
    library: { username: 'u', password: 'p', endpoints: 'h:1', uris: 'x://' },
  },
  // Only the password asked for in a secret; uris in clear.
  {
    request: {
      database: 'app',
      'requested-secrets': LIST(['password', 'uris']),
      'external-node-connectivity': 'true',
    },
    answer: { username: 'u', password: 'p', uris: 'x://', version: '16' },
    library: { username: 'u', password: 'p', uris: 'x://', version: '16' },
  },
  // A list that is not a list: ignored, as the library ignores it.
  {
    request: { database: 'app', 'requested-secrets': '{"username": 1}' },
    answer: { username: 'u', password: 'p' },
    library: { username: 'u', password: 'p' },
  },
];

let answers: Answers;
function library(): Answers {
  answers ??= JSON.parse(
    execFileSync(join(defaultPythonVenv(), 'bin', 'python3'), ['-c', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: defaultCharmLibsDir() },
      stdio: ['pipe', 'pipe', 'pipe'],
      input: JSON.stringify({
        requirerBags: REQUESTS.map((r) => r.library),
        requirerRead: PROVIDER_ANSWERS,
        provider: PROVIDER_CASES.map((c) => ({ request: c.request, answer: c.library })),
      }),
    }),
  ) as Answers;
  return answers;
}

/** The bag with `SECRET:<group>` replaced by the ids the library gave its secrets. */
function withIds(bag: DataBag, ids: Record<string, string>): DataBag {
  return Object.fromEntries(
    Object.entries(bag).map(([k, v]) => [k, v.startsWith('SECRET:') ? (ids[v.slice(7)] ?? v) : v]),
  );
}

describe.skipIf(problem)(
  `database (postgresql_client) against ${LIB} (LIBPATCH 59)${problem ? ` (skipped: ${problem})` : ''}`,
  () => {
    it('writes the requirer bags DatabaseRequires writes on relation-created', () => {
      REQUESTS.forEach((request, i) => {
        const lib = library().requirerBags[i]?.ok;
        expect(lib?.app, JSON.stringify(request.ours)).toEqual(
          databaseRequirerAppBag(request.ours),
        );
        expect(lib?.unit).toEqual(databaseRequirerUnitBag(request.ours));
        // Only the leader writes: another unit's bag stays empty.
        expect(lib?.follower_unit).toEqual({});
      });
    });

    it("reads the provider's answer as fetch_relation_data and is_resource_created do", () => {
      PROVIDER_ANSWERS.forEach((answer, i) => {
        const lib = library().requirerRead[i]?.ok;
        if (!lib)
          throw new Error(`the library failed on case ${i}: ${library().requirerRead[i]?.error}`);
        const bag = withIds(answer.bag, lib.ids);
        // The ids the bag names are the ones to secret-get.
        expect(databaseSecretRefs(bag)).toEqual(lib.ids);
        const ours = readDatabaseProviderAppBag(bag, answer.secrets);
        expect(ours !== undefined, JSON.stringify(answer)).toBe(lib.created);
        if (ours) expect(ours.fields, JSON.stringify(answer)).toEqual(lib.fields);
      });
    });

    it('answers as DatabaseProvides does: the requested fields in secrets, the rest in clear', () => {
      PROVIDER_CASES.forEach((c, i) => {
        const lib = library().provider[i]?.ok;
        if (!lib)
          throw new Error(`the library failed on case ${i}: ${library().provider[i]?.error}`);
        const request = readDatabaseRequirerAppBag(c.request);
        if (!request)
          throw new Error(`case ${i}: no request read from ${JSON.stringify(c.request)}`);
        expect(
          { database: request.database, extra_user_roles: request.extraUserRoles ?? null },
          JSON.stringify(c.request),
        ).toEqual({
          database: lib.seen.database,
          extra_user_roles: lib.seen.extra_user_roles,
        });
        expect(request.externalNodeConnectivity).toBe(lib.seen.external_node_connectivity);
        const secrets = databaseProviderSecrets(c.answer, request);
        const libContents = Object.fromEntries(
          Object.entries(lib.secrets).map(([group, s]) => [group, s.content]),
        );
        expect(secrets, JSON.stringify(c.request)).toEqual(libContents);
        const ids = Object.fromEntries(
          Object.entries(lib.secrets).map(([group, s]) => [group, s.id]),
        ) as Partial<Record<DatabaseSecretGroup, string>>;
        expect(databaseProviderAppBag(c.answer, request, ids)).toEqual(lib.bag);
      });
    });

    it('refuses a requested-secrets value that is not JSON, where the library raises', () => {
      expect(() =>
        readDatabaseRequirerAppBag({ database: 'a', 'requested-secrets': '[username' }),
      ).toThrow(RelationDataError);
    });
  },
);
