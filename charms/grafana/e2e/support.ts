/**
 * What the end-to-end test stands on: the machine's requirements (pods, the Grafana stand-in on
 * PATH, the Python ops venv with grafana-k8s's libraries), packing the charms, and reading the
 * stand-in's API with a bounded wait.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, NODE_VERSION, packCharm } from '@charm-ts/pack';
import { packPythonCharm, podsProblem, pythonCharmProblem } from '@charm-ts/sim';

const here = dirname(fileURLToPath(import.meta.url));
export const CHARM_DIR = join(here, '..');
export const SOURCE_LIB = 'charms.grafana_k8s.v0.grafana_source';
export const DASHBOARD_LIB = 'charms.grafana_k8s.v0.grafana_dashboard';
export const DATABASE_LIB = 'charms.data_platform_libs.v0.data_interfaces';
export const INGRESS_LIB = 'charms.traefik_k8s.v2.ingress';
/** The hello-kubecon charm's ingress provider test charm (traefik's IngressPerAppProvider). */
export const INGRESS_PROVIDER = join(here, '..', '..', 'hello-kubecon', 'e2e', 'ingress-provider');
/** The gunicorn charm's PostgreSQL provider test charm (Debian's PostgreSQL 15, DatabaseProvides). */
export const POSTGRESQL_PROVIDER = join(here, '..', '..', 'gunicorn', 'e2e', 'postgresql-provider');
export const POSTGRES = '/usr/lib/postgresql/15/bin/postgres';
const INSTALL = 'bash scripts/install-test-deps.sh';

/** The stand-in the pods run as `grafana-server`, and the copy test-deps.sh installed. */
export const STANDIN_SOURCE = join(here, 'grafana-standin', 'grafana_server.py');
export const STANDIN_INSTALLED = join(
  homedir(),
  '.cache',
  'charm-ts',
  'grafana-standin',
  'grafana_server.py',
);
export const STANDIN_COMMAND = '/usr/local/bin/grafana-server';

/** `grafana-server -v` of the stand-in on PATH, or undefined when it is not installed (current). */
export function standIn(): string | undefined {
  try {
    if (readFileSync(STANDIN_INSTALLED, 'utf8') !== readFileSync(STANDIN_SOURCE, 'utf8'))
      return undefined;
    return execFileSync(STANDIN_COMMAND, ['-v'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Why the e2e test cannot run here, with the command that fixes it; undefined when it can. */
export function missingRequirement(): string | undefined {
  const pods = podsProblem(INSTALL);
  if (pods) return pods;
  if (!standIn()) {
    return `the Grafana stand-in is not installed (or not current) at ${STANDIN_COMMAND}: ${INSTALL} installs it`;
  }
  try {
    execFileSync(POSTGRES, ['--version'], { encoding: 'utf8' });
  } catch {
    return `PostgreSQL 15 is not at ${POSTGRES} (the pgsql provider runs it): ${INSTALL} (apt-get install -y postgresql)`;
  }
  return pythonCharmProblem({
    libs: [SOURCE_LIB, DASHBOARD_LIB, DATABASE_LIB, INGRESS_LIB],
    modules: ['cosl', 'yaml', 'pydantic'],
  });
}

/** Packs the grafana charm (amd64, with the cached Node.js runtime) into `outDir`. */
export async function packGrafana(outDir: string): Promise<string> {
  const [packed] = await packCharm({
    charmDir: CHARM_DIR,
    outDir,
    nodeVersion: NODE_VERSION,
    cacheDir: defaultCacheDir(),
    arches: ['amd64'],
  });
  if (!packed) throw new Error(`charm-pack wrote nothing for ${CHARM_DIR}`);
  return packed.path;
}

/** Packs the Python test charms: the datasource, dashboard and ingress providers, PostgreSQL's. */
export function packProviders(outDir: string): {
  datasource: string;
  dashboard: string;
  ingress: string;
  postgresql: string;
} {
  return {
    datasource: packPythonCharm(join(here, 'datasource-provider'), { outDir, libs: [SOURCE_LIB] }),
    dashboard: packPythonCharm(join(here, 'dashboard-provider'), { outDir, libs: [DASHBOARD_LIB] }),
    ingress: packPythonCharm(INGRESS_PROVIDER, { outDir, libs: [INGRESS_LIB] }),
    postgresql: packPythonCharm(POSTGRESQL_PROVIDER, { outDir, libs: [DATABASE_LIB] }),
  };
}

/** A GET of Grafana's API on `address`, JSON-decoded. */
export async function api(
  address: string,
  path: string,
  auth?: { user: string; password: string },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (auth)
    headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const res = await fetch(`http://${address}:3000${path}`, {
    headers,
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: res.status, body };
}
