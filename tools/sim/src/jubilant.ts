/**
 * Running a charm's integration tests, written with pytest and jubilant for a real Juju,
 * against charm-sim: the venv scripts/install-test-deps.sh makes (jubilant and pytest from
 * PyPI, pinned), the `juju` shim put first on PATH, and a controller directory of their own.
 * The tests themselves are not changed for the simulator.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller } from './juju/controller.ts';
import { Simulator } from './simulator.ts';

/** The jubilant release the tests run with (pinned in scripts/install-test-deps.sh). */
export const JUBILANT_VERSION = '1.14.0';
/** The pytest release beside it. */
export const PYTEST_VERSION = '9.2.0';

const INSTALL = 'bash scripts/install-test-deps.sh';

/** The venv with jubilant and pytest that scripts/install-test-deps.sh makes. */
export function defaultJubilantVenv(): string {
  return join(homedir(), '.cache', 'charm-ts', 'jubilant-venv');
}

/** The directory holding the `juju` shim (tools/sim/bin): put it first on PATH. */
export function jujuShimDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // From src/ (tests, source-first) and from dist/ (the bundled CLI) alike.
  return join(here, '..', 'bin');
}

/**
 * Why jubilant tests cannot run here (naming the install command), or undefined when they
 * can: the venv, jubilant and pytest at their pinned versions.
 */
export function jubilantProblem(venv = defaultJubilantVenv()): string | undefined {
  const python = join(venv, 'bin', 'python3');
  if (!existsSync(python)) {
    return `the jubilant venv is missing (${venv}): ${INSTALL} (pip install jubilant==${JUBILANT_VERSION} pytest==${PYTEST_VERSION})`;
  }
  const script =
    'import importlib.metadata as m; print(m.version("jubilant"), m.version("pytest"))';
  const found = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  const want = `${JUBILANT_VERSION} ${PYTEST_VERSION}`;
  if (found.status !== 0 || found.stdout.trim() !== want) {
    const have = found.status === 0 ? found.stdout.trim() : found.stderr.trim().split('\n').at(-1);
    return `${venv} has jubilant and pytest "${have}", not "${want}": ${INSTALL}`;
  }
  return undefined;
}

/** Options of {@link runJubilantTests}. */
export interface JubilantRunOptions {
  /** Required: the tests' directory (e.g. `charms/snappass/tests/integration`). */
  readonly testsDir: string;
  /** Optional: more environment for the tests (e.g. `CHARM_PATH`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Optional: the venv. Default {@link defaultJubilantVenv}. */
  readonly venv?: string;
  /** Optional: kill pytest after this long. Default 15 minutes. */
  readonly timeoutMs?: number;
  /** Optional: each line pytest prints, as it comes. */
  readonly onLine?: (line: string) => void;
  /** Optional: more pytest arguments, e.g. `['-k', 'deploy']`. */
  readonly pytestArgs?: readonly string[];
}

/** How a pytest run ended. */
export interface JubilantRunResult {
  /** pytest's exit code (0: every test passed); null when it was killed at the timeout. */
  readonly code: number | null;
  /** Everything it printed (stdout and stderr, interleaved). */
  readonly output: string;
  /** Models the tests left behind (then destroyed here, with `destroy-model --force`). */
  readonly leftModels: readonly string[];
}

/**
 * Runs pytest on `testsDir` with the venv's Python, the `juju` shim first on PATH and a fresh
 * controller directory (`CHARM_SIM_JUJU_HOME`, short: pods' socket paths must fit), with
 * `-s` so what the tests print (timings) shows, and no cache or bytecode written into the
 * repository. Afterwards every model the tests left is destroyed and the directory removed.
 */
export function runJubilantTests(options: JubilantRunOptions): Promise<JubilantRunResult> {
  const venv = options.venv ?? defaultJubilantVenv();
  const home = mkdtempSync(join(tmpdir(), 'jh-'));
  const env = {
    ...process.env,
    PATH: [jujuShimDir(), process.env.PATH ?? ''].join(delimiter),
    CHARM_SIM_JUJU_HOME: home,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    ...options.env,
  };
  const args = [
    '-m',
    'pytest',
    options.testsDir,
    '-v',
    '-s',
    '-p',
    'no:cacheprovider',
    ...(options.pytestArgs ?? []),
  ];
  return new Promise((resolve) => {
    const child = spawn(join(venv, 'bin', 'python3'), args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15 * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial) options.onLine?.(partial);
      removeController(home).then((leftModels) => resolve({ code, output, leftModels }));
    });
  });
}

/** Destroys every model of the controller in `home` (force), then the directory; returns their names. */
async function removeController(home: string): Promise<string[]> {
  const controller = Controller.load(home);
  const left = Object.keys(controller.models);
  for (const name of left) {
    await Simulator.forceDestroy((controller.models[name] as { dir: string }).dir);
  }
  rmSync(home, { recursive: true, force: true });
  return left;
}
