/**
 * `--from`: a copy of a charm of the workspace under a new name. Every spelling of the old name
 * becomes the new one, in file contents and file names alike: the package, charmcraft.yaml's
 * name, containers, resources and peer relations named after the charm, classes, functions,
 * constants, test titles, the README. What names someone else's things stays: endpoints and
 * interfaces shared with other charms, names imported from packages, URLs, charm library paths.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { COMMENT, scanCode } from './code-scan.ts';
import { CreateCharmError } from './errors.ts';
import { type CharmFile, fileMode, listSourceFiles, readSource } from './files.ts';
import { charmNameProblem, nameWords } from './names.ts';
import { fileKind, type Rename, renamePath, renameText } from './rename.ts';

/**
 * Files a copy leaves out. `test-deps.sh` installs the reference charm's workload, which
 * `scripts/install-test-deps.sh` runs from the reference charm already; a copy of it under the
 * new name would install a workload of that name, which does not exist.
 */
export const LEFT_OUT = ['test-deps.sh'] as const;

/** A reference charm's names, as its files give them. */
export interface SourceCharm {
  dir: string;
  /** charmcraft.yaml's `name`. */
  name: string;
  /** package.json's `name`. */
  packageName: string;
  /** Endpoints and interfaces of `requires` and `provides`: shared with other charms. */
  shared: string[];
  /** The workspace packages the charm runs with (`dependencies`, `workspace:*`), by name. */
  workspaceDeps: string[];
}

type Yaml = Record<string, unknown>;
const isRecord = (value: unknown): value is Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads what the copy needs from `<dir>/charmcraft.yaml` and `<dir>/package.json`. */
export function readSourceCharm(dir: string): SourceCharm {
  const charmcraftFile = join(dir, 'charmcraft.yaml');
  if (!existsSync(charmcraftFile)) {
    throw new CreateCharmError(`--from: ${charmcraftFile} is missing: is ${dir} a charm?`);
  }
  let charmcraft: unknown;
  try {
    charmcraft = parse(readFileSync(charmcraftFile, 'utf8'));
  } catch (error) {
    throw new CreateCharmError(`--from: ${charmcraftFile}: ${(error as Error).message}`);
  }
  const name = isRecord(charmcraft) ? charmcraft.name : undefined;
  if (typeof name !== 'string' || charmNameProblem(name)) {
    throw new CreateCharmError(`--from: ${charmcraftFile}: its name is not a charm name`);
  }
  const shared: string[] = [];
  for (const role of ['requires', 'provides'] as const) {
    const endpoints = isRecord(charmcraft) ? charmcraft[role] : undefined;
    if (!isRecord(endpoints)) continue;
    for (const [endpoint, spec] of Object.entries(endpoints)) {
      shared.push(endpoint);
      if (isRecord(spec) && typeof spec.interface === 'string') shared.push(spec.interface);
    }
  }
  let packageName = name;
  const workspaceDeps: string[] = [];
  const packageFile = join(dir, 'package.json');
  if (existsSync(packageFile)) {
    const pkg: unknown = JSON.parse(readFileSync(packageFile, 'utf8'));
    if (isRecord(pkg) && typeof pkg.name === 'string' && !charmNameProblem(pkg.name)) {
      packageName = pkg.name;
    }
    const deps = isRecord(pkg) ? pkg.dependencies : undefined;
    for (const [dep, range] of Object.entries(isRecord(deps) ? deps : {})) {
      if (typeof range === 'string' && range.startsWith('workspace:')) workspaceDeps.push(dep);
    }
  }
  return { dir, name, packageName, shared: [...new Set(shared)], workspaceDeps };
}

/** The source files (`src/**`) of the workspace packages named `names`, under `root`. */
function packageSources(root: string, names: readonly string[]): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'tools']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const pkgFile = join(base, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(pkgFile)) continue;
      const pkg: unknown = JSON.parse(readFileSync(pkgFile, 'utf8'));
      if (!isRecord(pkg) || !names.includes(String(pkg.name))) continue;
      const src = join(base, entry.name, 'src');
      if (!existsSync(src)) continue;
      for (const file of listSourceFiles(src)) {
        if (/\.ts$/.test(file) && !/\.test\.ts$/.test(file)) files.push(join(src, file));
      }
    }
  }
  return files;
}

/**
 * Names the old name is part of that the workspace packages the charm runs with use too, in
 * their code or their wire formats (`GrafanaSourceRequirer`, `grafanaUid`, `grafana_uid` in
 * @charm-ts/relations): they are the package's, not the charm's, and stay.
 */
export function dependencyNames(source: SourceCharm, root: string): string[] {
  const patterns = charmNames(source).map((name) =>
    nameWords(name)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[-_ ]?'),
  );
  const part = new RegExp(patterns.join('|'), 'i');
  const whole = new RegExp(`^(${patterns.join('|')})$`, 'i');
  const found = new Set<string>();
  for (const file of packageSources(root, source.workspaceDeps)) {
    const text = readFileSync(file, 'utf8');
    const { kind } = scanCode(text);
    for (const m of text.matchAll(/[A-Za-z0-9_$]+(?:-[A-Za-z0-9_]+)*/g)) {
      // Names in code and strings; not what a comment happens to mention.
      if (kind[m.index ?? 0] === COMMENT) continue;
      if (part.test(m[0]) && !whole.test(m[0])) found.add(m[0]);
    }
  }
  return [...found].sort();
}

/**
 * The charm's names: charmcraft's, the package's and the directory's (gunicorn-k8s lives in
 * charms/gunicorn), longest first so `gunicorn-k8s` goes whole before `gunicorn`.
 */
export function charmNames(source: SourceCharm): string[] {
  return [...new Set([source.name, source.packageName, basename(source.dir)])]
    .filter((name) => !charmNameProblem(name))
    .sort((a, b) => b.length - a.length);
}

/** The renames a copy of `source` as `newName` applies, in order. */
export function renamesFor(
  source: SourceCharm,
  newName: string,
  dependencyTokens: readonly string[] = [],
): Rename[] {
  const names = charmNames(source);
  // Names the old name is part of (`grafana-source`) that stay; an endpoint named exactly
  // after the charm is the charm's own name, and is renamed with it.
  const keep = [...source.shared, ...dependencyTokens].filter((t) => !names.includes(t));
  return names.map((from) => ({ from, to: newName, keep }));
}

/** The result of a copy: its files and the files it left out. */
export interface CopiedCharm {
  files: CharmFile[];
  leftOut: string[];
  /** Occurrences of the old name replaced, over every file. */
  replaced: number;
}

/**
 * The files of `sourceDir`'s charm renamed to `newName`, with vitest's `groupOrder` set to
 * `groupOrder` (each charm's project needs its own). Throws `CreateCharmError` on a source
 * that is not a charm.
 */
export function copyCharm(sourceDir: string, newName: string, groupOrder: number): CopiedCharm {
  const source = readSourceCharm(sourceDir);
  const root = dirname(dirname(sourceDir));
  const renames = renamesFor(source, newName, dependencyNames(source, root));
  const files: CharmFile[] = [];
  const leftOut: string[] = [];
  let replaced = 0;
  for (const path of listSourceFiles(sourceDir)) {
    if ((LEFT_OUT as readonly string[]).includes(path)) {
      leftOut.push(path);
      continue;
    }
    let content = readSource(join(sourceDir, path));
    let newPath = path;
    for (const rename of renames) {
      newPath = renamePath(newPath, rename);
      if (typeof content === 'string') {
        const result = renameText(content, fileKind(path), rename);
        content = result.text;
        replaced += result.replaced;
      }
    }
    if (path === 'vitest.config.ts' && typeof content === 'string') {
      content = content.replace(/groupOrder:\s*\d+/, `groupOrder: ${groupOrder}`);
    }
    files.push({ path: newPath, content, mode: fileMode(join(sourceDir, path)) });
  }
  return { files, leftOut, replaced };
}
