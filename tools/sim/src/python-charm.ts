/**
 * Packing a small Python `ops` charm into a `.charm` the simulator deploys: the test charms that
 * stand on the other side of a relation, using Canonical's own charm library for it, so a
 * TypeScript charm is proven against the library and not against our reading of it.
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { SimError } from './errors.ts';

/** The command that installs the venv, the libraries and their PYDEPS. */
const INSTALL = 'bash scripts/install-test-deps.sh';

/** The venv with Python `ops` (and the libraries' PYDEPS) that scripts/install-test-deps.sh makes. */
export function defaultPythonVenv(): string {
  return join(homedir(), '.cache', 'charm-ts', 'venv');
}

/** Where scripts/install-test-deps.sh puts the charm libraries (a charm's `lib/`). */
export function defaultCharmLibsDir(): string {
  return join(homedir(), '.cache', 'charm-ts', 'charm-libs', 'lib');
}

/** What a Python test charm needs. */
export interface PythonCharmOptions {
  /** Optional: charm libraries by module name, e.g. `charms.traefik_k8s.v2.ingress`. Default none. */
  readonly libs?: readonly string[];
  /** Optional: the `lib/` folder they are copied from. Default {@link defaultCharmLibsDir}. */
  readonly libDir?: string;
  /** Optional: the venv whose `bin/python3` runs the charm. Default {@link defaultPythonVenv}. */
  readonly venv?: string;
  /** Optional: modules the charm imports besides `ops`, e.g. `pydantic`. Default none. */
  readonly modules?: readonly string[];
}

/** Options of {@link packPythonCharm}. */
export interface PackPythonCharmOptions extends PythonCharmOptions {
  /** Required: the directory the `.charm` is written to (created when missing). */
  readonly outDir: string;
  /** Optional: edits the staged copy (the charm's files, with `lib/` and `dispatch`) before zipping. */
  readonly prepare?: (dir: string) => void;
}

/** The library's file under a `lib/` folder: `charms/traefik_k8s/v2/ingress.py`. */
export function charmLibPath(lib: string): string {
  if (!/^charms(\.[a-z0-9_]+){3}$/.test(lib)) {
    throw new SimError(
      'BAD_ARGUMENT',
      `charm library ${JSON.stringify(lib)} is not a module name like charms.<charm>.v<N>.<library>`,
    );
  }
  return `${lib.split('.').join('/')}.py`;
}

/**
 * Why a Python test charm with these needs cannot run here (naming what is missing and
 * `bash scripts/install-test-deps.sh`), or undefined when it can. Runs the venv's Python once
 * to import `ops` and `modules`.
 */
export function pythonCharmProblem(options: PythonCharmOptions = {}): string | undefined {
  const venv = options.venv ?? defaultPythonVenv();
  const python = join(venv, 'bin', 'python3');
  if (!existsSync(python)) return `the Python ops venv is missing (${venv}): ${INSTALL}`;
  const libDir = options.libDir ?? defaultCharmLibsDir();
  for (const lib of options.libs ?? []) {
    const file = join(libDir, charmLibPath(lib));
    if (!existsSync(file)) return `charm library ${lib} is missing (${file}): ${INSTALL}`;
  }
  const modules = ['ops', ...(options.modules ?? [])];
  const check = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (check.status !== 0) {
    return `Python modules missing in ${venv} (import ${modules.join(', ')} failed: ${check.stderr.trim().split('\n').at(-1)}): ${INSTALL}`;
  }
  return undefined;
}

/**
 * Packs the Python `ops` charm in `srcDir` (`metadata.yaml`, `src/charm.py`, optional
 * `config.yaml`/`actions.yaml`) into `<outDir>/<name>_ubuntu-22.04-amd64.charm`, as charmcraft
 * lays one out: the libraries in `lib/`, a `dispatch` that runs `src/charm.py` on the venv's
 * Python with `lib` (and `src`) on PYTHONPATH, and a `manifest.yaml`. Files of the same names
 * in `srcDir` win. Returns the `.charm` path.
 * Throws `SimError` `BAD_CHARM` when metadata.yaml or src/charm.py is missing or a library is
 * not in `libDir` (the message names it and the install command), `BAD_ARGUMENT` for a library
 * name that is not a module name.
 */
export function packPythonCharm(srcDir: string, options: PackPythonCharmOptions): string {
  const name = charmName(srcDir);
  if (!existsSync(join(srcDir, 'src', 'charm.py'))) {
    throw new SimError('BAD_CHARM', `${srcDir}: src/charm.py not found (the charm's entry point)`);
  }
  mkdirSync(options.outDir, { recursive: true });
  const stage = mkdtempSync(join(options.outDir, `.${name}-`));
  try {
    cpSync(srcDir, stage, {
      recursive: true,
      filter: (path) => basename(path) !== '__pycache__',
    });
    const libDir = options.libDir ?? defaultCharmLibsDir();
    for (const lib of options.libs ?? []) {
      const file = charmLibPath(lib);
      const from = join(libDir, file);
      if (!existsSync(from)) {
        throw new SimError(
          'BAD_CHARM',
          `${name}: charm library ${lib} not found at ${from}: ${INSTALL} copies the charm libraries there`,
        );
      }
      mkdirSync(dirname(join(stage, 'lib', file)), { recursive: true });
      cpSync(from, join(stage, 'lib', file));
    }
    const python = join(options.venv ?? defaultPythonVenv(), 'bin', 'python3');
    if (!existsSync(join(stage, 'dispatch'))) {
      writeFileSync(
        join(stage, 'dispatch'),
        `#!/bin/sh\nJUJU_DISPATCH_PATH="\${JUJU_DISPATCH_PATH:-$0}" PYTHONPATH=lib:src exec ${python} ./src/charm.py\n`,
        { mode: 0o755 },
      );
    }
    if (!existsSync(join(stage, 'manifest.yaml'))) {
      writeFileSync(
        join(stage, 'manifest.yaml'),
        'bases:\n- name: ubuntu\n  channel: "22.04"\n  architectures: [amd64]\n',
      );
    }
    options.prepare?.(stage);
    const out = join(options.outDir, `${name}_ubuntu-22.04-amd64.charm`);
    zipTree(stage, out);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function charmName(srcDir: string): string {
  const file = join(srcDir, 'metadata.yaml');
  let meta: unknown;
  try {
    meta = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SimError('BAD_CHARM', `${file}: ${(error as Error).message}`);
  }
  const name = (meta as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new SimError('BAD_CHARM', `${file}: needs a name (lowercase letters, digits, dashes)`);
  }
  return name;
}

/** Zips `dir` with Python's zipfile (a Python charm needs Python anyway): Unix modes kept, names sorted. */
function zipTree(dir: string, out: string): void {
  const script = [
    'import os, sys, zipfile',
    'src, out = sys.argv[1], sys.argv[2]',
    'with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:',
    '    for root, dirs, files in os.walk(src):',
    '        dirs.sort()',
    '        for f in sorted(files):',
    '            p = os.path.join(root, f)',
    '            z.write(p, os.path.relpath(p, src))',
  ].join('\n');
  execFileSync('python3', ['-c', script, dir, out]);
}
