// grafana_dashboard against `charms.grafana_k8s.v0.grafana_dashboard` itself: the library's
// provider side makes templates from dashboard files (cosl's real xz), its GrafanaDashboardConsumer
// reads bags in ops' Harness, and ours must decode, convert and report the same. The end-to-end
// proof (a Python provider charm with a dashboard file and the grafana charm) is in
// charms/grafana/e2e.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { defaultCharmLibsDir, defaultPythonVenv, pythonCharmProblem } from '@charm-ts/sim';
import { describe, expect, it } from 'vitest';
import type { DataBag } from '../bag.ts';
import { pythonJson } from '../json.ts';
import {
  dashboardAltUid,
  dashboardPath40Uid,
  grafanaDashboardProviderAppBag,
  readGrafanaDashboardEventBag,
} from './provider.ts';
import { grafanaDashboardEventBag, readGrafanaDashboards } from './requirer.ts';

const LIB = 'charms.grafana_k8s.v0.grafana_dashboard';
const problem = pythonCharmProblem({ libs: [LIB], modules: ['cosl', 'yaml'] });
if (problem && process.env.CI)
  throw new Error(`the grafana_dashboard library test cannot run: ${problem}`);

const SCRIPT = `
import base64, json, os, sys, tempfile, logging
from pathlib import Path
logging.disable(logging.CRITICAL)
os.environ["JUJU_VERSION"] = "3.6.4"
import ops
from ops.testing import Harness
from cosl import DashboardPath40UID
from charms.grafana_k8s.v0.grafana_dashboard import CharmedDashboard, GrafanaDashboardConsumer

GRAFANA = "name: grafana\\nrequires:\\n  grafana-dashboard:\\n    interface: grafana_dashboard\\npeers:\\n  grafana:\\n    interface: grafana_peers\\n"
TOPOLOGY = {"model": "cos", "model_uuid": "1234", "application": "db", "unit": "db/0"}

def templates(files):
    with tempfile.TemporaryDirectory() as charm_dir:
        folder = Path(charm_dir) / "src" / "grafana_dashboards"
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text)
        return CharmedDashboard.load_dashboards_from_dir(
            dashboards_path=folder, charm_name="db-charm", charm_dir=Path(charm_dir),
            inject_dropdowns=True, juju_topology=TOPOLOGY)

def consume(bag):
    class C(ops.CharmBase):
        def __init__(self, fw):
            super().__init__(fw)
            self.consumer = GrafanaDashboardConsumer(self)
        @property
        def peers(self):
            return self.model.get_relation("grafana")
    h = Harness(C, meta=GRAFANA)
    h.set_leader(True)
    h.begin()
    h.add_relation("grafana", "grafana")
    rid = h.add_relation("grafana-dashboard", "db")
    h.add_relation_unit(rid, "db/0")
    h.update_relation_data(rid, "db", bag)
    return {
        "dashboards": sorted(
            [{"id": d["id"], "charm": d["charm"], "content": d["content"], "uid": d["dashboard_uid"],
              "title": d["dashboard_title"], "version": d["dashboard_version"]}
             for d in h.charm.consumer.dashboards], key=lambda d: d["id"]),
        "answer": dict(h.get_relation_data(rid, "grafana")),
    }

def corrupt(made):
    t = json.loads(json.dumps(made))
    data = bytearray(base64.b64decode(t["file:overview"]["content"]))
    data[40] ^= 0xFF
    t["file:overview"]["content"] = base64.b64encode(bytes(data)).decode()
    return {"dashboards": json.dumps({"templates": t, "uuid": "u"})}

cases = json.load(sys.stdin)
made = templates(cases["files"])
print(json.dumps({
    "made": made,
    "fromPython": consume({"dashboards": json.dumps({"templates": made, "uuid": "u"})}),
    "fromOurs": consume(cases["ours"]),
    "broken": consume(corrupt(made)),
    "altUid": CharmedDashboard._generate_alt_uid("db-charm", "file:x"),
    "path40": DashboardPath40UID.generate("db-charm", "src/grafana_dashboards/x.json"),
}))
`;

const PROMETHEUS_PANEL = {
  id: 1,
  title: 'Up',
  type: 'timeseries',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, as exported
  datasource: '${DS_PROMETHEUS}',
  targets: [{ expr: 'up{job="db"}', refId: 'A' }],
};
const FILES: Record<string, string> = {
  // Exported from Grafana with __inputs (the marketplace's form), a non-ASCII title.
  'overview.json': JSON.stringify({
    __inputs: [{ name: 'DS_PROMETHEUS', type: 'datasource', pluginName: 'Prometheus' }],
    title: 'Overview — é',
    uid: 'kept-uid',
    version: 3,
    templating: { list: [{ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' }] },
    panels: [PROMETHEUS_PANEL, { id: 2, type: 'text' }],
  }),
  // No templating: every panel is pointed at our variables by its datasource's name.
  'logs.json': JSON.stringify({
    title: 'Logs',
    panels: [
      { id: 1, datasource: 'loki-main', targets: [{ expr: '{app="db"}' }] },
      { id: 2, datasource: { type: 'prometheus', uid: 'abc' } },
      { id: 3, datasource: '-- Grafana --' },
    ],
    rows: [{ panels: [{ id: 4, datasource: 'prom' }] }],
  }),
  'notes.json.tmpl': JSON.stringify({ title: 'Notes', version: '7', panels: [] }),
};
const OURS = grafanaDashboardProviderAppBag(
  [
    {
      id: 'file:ours',
      charm: 'db-charm',
      content: JSON.stringify({ title: 'Ours', uid: 'ours-1', panels: [PROMETHEUS_PANEL] }),
      jujuTopology: { model: 'cos', model_uuid: '1234', application: 'db', unit: 'db/0' },
    },
    {
      id: 'file:plain',
      charm: 'db-charm',
      content: JSON.stringify({ title: 'Plain', templating: { list: [] } }),
      jujuTopology: {},
      injectDropdowns: false,
    },
  ],
  'fixed',
);

interface LibDashboard {
  id: string;
  charm: string;
  content: string;
  uid: string;
  title: string;
  version: number;
}
interface Answers {
  made: Record<string, { content: string }>;
  fromPython: { dashboards: LibDashboard[]; answer: DataBag };
  fromOurs: { dashboards: LibDashboard[]; answer: DataBag };
  broken: { dashboards: LibDashboard[]; answer: DataBag };
  altUid: string;
  path40: string;
}

let answers: Answers;
function library(): Answers {
  answers ??= JSON.parse(
    execFileSync(join(defaultPythonVenv(), 'bin', 'python3'), ['-c', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: defaultCharmLibsDir() },
      stdio: ['pipe', 'pipe', 'pipe'],
      input: JSON.stringify({ files: FILES, ours: OURS }),
    }),
  ) as Answers;
  return answers;
}

/** The library's templates, one corrupted (valid base64, bad xz), as the script corrupts it. */
function brokenBag(made: Answers['made']): DataBag {
  const templates = structuredClone(made) as Record<string, { content: string }>;
  const first = templates['file:overview'] as { content: string };
  const bytes = Buffer.from(first.content, 'base64');
  bytes[40] = (bytes[40] ?? 0) ^ 0xff;
  first.content = bytes.toString('base64');
  return { dashboards: pythonJson({ templates, uuid: 'u' } as never) };
}

async function ourDashboards(bag: DataBag) {
  const read = await readGrafanaDashboards([{ id: 1, appBag: bag }]);
  return {
    read,
    dashboards: read.dashboards
      .map((d) => ({
        id: d.id,
        charm: d.charm,
        content: d.content,
        uid: d.uid,
        title: d.title,
        version: d.version,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

describe.skipIf(problem)(
  `grafana_dashboard against ${LIB} (LIBPATCH 48)${problem ? ` (skipped: ${problem})` : ''}`,
  () => {
    const run = library;

    it("decodes and converts the library's templates exactly as GrafanaDashboardConsumer does", async () => {
      const lib = run();
      const ours = await ourDashboards({
        dashboards: pythonJson({ templates: lib.made, uuid: 'u' } as never),
      });
      expect(ours.read.errors).toEqual([]);
      // Byte for byte: the same JSON, the same key order, the same escapes.
      expect(ours.dashboards).toEqual(lib.fromPython.dashboards);
      expect(lib.fromPython.dashboards.map((d) => d.title).sort()).toEqual([
        'Logs',
        'Notes',
        'Overview — é',
      ]);
    });

    it('writes templates the library decodes to the same dashboards as ours', async () => {
      const lib = run();
      expect((await ourDashboards(OURS)).dashboards).toEqual(lib.fromOurs.dashboards);
      expect(lib.fromOurs.dashboards).toHaveLength(2);
    });

    it("reports an unreadable template in 'event' as the library does, and keeps the others", async () => {
      const lib = run();
      const bag = brokenBag(lib.made);
      const ours = await ourDashboards(bag);
      const libEvent = readGrafanaDashboardEventBag(lib.broken.answer);
      expect(libEvent?.valid).toBe(false);
      expect(ours.read.errors.map((e) => ({ dashboardId: e.dashboardId, error: e.error }))).toEqual(
        libEvent?.errors,
      );
      expect(grafanaDashboardEventBag(ours.read.errors)).toEqual(lib.broken.answer);
      // The library drops the relation's every dashboard; we keep the two that decode.
      expect(lib.broken.dashboards).toEqual([]);
      expect(ours.dashboards.map((d) => d.title).sort()).toEqual(['Logs', 'Notes']);
    });

    it("gives the library's uids", () => {
      const lib = run();
      expect(dashboardAltUid('db-charm', 'file:x')).toBe(lib.altUid);
      expect(dashboardPath40Uid('db-charm', 'src/grafana_dashboards/x.json')).toBe(lib.path40);
    });
  },
);
