/**
 * What the end-to-end test stands on: the machine's requirements (pods, the real gunicorn,
 * statsd_exporter and PostgreSQL 15, the Python ops venv with the charm libraries), packing the
 * charms, and reading what a unit serves.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, NODE_VERSION, packCharm } from '@charm-ts/pack';
import { waitUntil } from '@charm-ts/pebble/testing';
import { packPythonCharm, podsProblem, pythonCharmProblem } from '@charm-ts/sim';

const here = dirname(fileURLToPath(import.meta.url));
/** The gunicorn charm directory. */
export const CHARM_DIR = join(here, '..');
/** The test's WSGI application (`app:app`). */
export const APP_DIR = join(here, 'app');
/** The libraries the test charms use, unmodified. */
export const DATABASE_LIB = 'charms.data_platform_libs.v0.data_interfaces';
export const SCRAPE_LIB = 'charms.prometheus_k8s.v0.prometheus_scrape';
/** The workload's virtualenv, made by test-deps.sh. */
export const GUNICORN_VENV = join(homedir(), '.cache', 'charm-ts', 'gunicorn-venv');
export const GUNICORN_VERSION = '27.0.1';
export const STATSD_EXPORTER = '/usr/local/bin/statsd_exporter';
export const STATSD_EXPORTER_VERSION = 'statsd_exporter, version 0.31.0';
export const POSTGRES = '/usr/lib/postgresql/15/bin/postgres';
const INSTALL = 'bash scripts/install-test-deps.sh';

/** The first line a command prints, or undefined when it cannot run. */
function firstLine(command: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' }).split('\n')[0];
  } catch (error) {
    const out = (error as { stdout?: string; stderr?: string }).stderr ?? '';
    return out.split('\n')[0] || undefined;
  }
}

/** The workloads the test runs, as they report themselves (for the test's output). */
export function workloads(): { gunicorn?: string; exporter?: string; postgres?: string } {
  const gunicorn = firstLine(join(GUNICORN_VENV, 'bin', 'gunicorn'), ['--version']);
  const exporter = firstLine(STATSD_EXPORTER, ['--version'])?.split(' (')[0];
  const postgres = firstLine(POSTGRES, ['--version']);
  return {
    ...(gunicorn && { gunicorn }),
    ...(exporter && { exporter }),
    ...(postgres && { postgres }),
  };
}

/** Why the e2e test cannot run here, with the command that fixes it; undefined when it can. */
export function missingRequirement(): string | undefined {
  const pods = podsProblem(INSTALL);
  if (pods) return pods;
  const found = workloads();
  if (found.gunicorn !== `gunicorn (version ${GUNICORN_VERSION})`) {
    return `gunicorn ${GUNICORN_VERSION} is not in ${GUNICORN_VENV} (found: ${found.gunicorn ?? 'nothing'}): ${INSTALL}`;
  }
  try {
    execFileSync(join(GUNICORN_VENV, 'bin', 'python3'), ['-c', 'import psycopg'], {
      stdio: 'pipe',
    });
  } catch {
    return `psycopg is not in ${GUNICORN_VENV}: ${INSTALL}`;
  }
  if (found.exporter !== STATSD_EXPORTER_VERSION) {
    return `${STATSD_EXPORTER} is ${found.exporter ?? 'missing'}, not ${STATSD_EXPORTER_VERSION}: ${INSTALL} builds it (go install github.com/prometheus/statsd_exporter@v0.31.0)`;
  }
  if (!found.postgres?.includes('(PostgreSQL) 15.')) {
    return `PostgreSQL 15 is not at ${POSTGRES} (found: ${found.postgres ?? 'nothing'}): ${INSTALL} (apt-get install -y postgresql)`;
  }
  return pythonCharmProblem({ libs: [DATABASE_LIB, SCRAPE_LIB], modules: ['cosl'] });
}

/** Packs the gunicorn charm (amd64, with the cached Node.js runtime) into `outDir`. */
export async function packGunicorn(outDir: string): Promise<string> {
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

/** Packs the Python PostgreSQL provider with data_interfaces in its lib/. */
export function packPostgresqlProvider(outDir: string): string {
  return packPythonCharm(join(here, 'postgresql-provider'), { outDir, libs: [DATABASE_LIB] });
}

/** Packs the Python Prometheus consumer with prometheus_scrape in its lib/. */
export function packPrometheusConsumer(outDir: string): string {
  return packPythonCharm(join(here, 'prometheus-consumer'), {
    outDir,
    libs: [SCRAPE_LIB],
    modules: ['cosl'],
  });
}

/**
 * GETs `url` until `accept` holds for the answer (through the repo's `waitUntil`, 60 s at
 * most); throws naming what never came, with the last answer.
 */
export async function fetchUntil(
  url: string,
  accept: (status: number, body: string) => boolean,
  what: string,
): Promise<string> {
  let last = 'no answer yet';
  return waitUntil(
    `${what} (${url})`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      last = `${res.status}: ${body.slice(0, 300)}`;
      return accept(res.status, body) ? body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, lastSeen: () => last },
  );
}
