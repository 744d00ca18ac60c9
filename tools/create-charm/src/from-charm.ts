/**
 * `--from`: a copy of a charm of the workspace under a new name. Every spelling of the old name
 * becomes the new one, in file contents and file names alike: the package, charmcraft.yaml's
 * name, containers, resources and peer relations named after the charm, classes, functions,
 * constants, test titles, the README. What names someone else's things stays: endpoints and
 * interfaces shared with other charms, names imported from packages, URLs, charm library paths.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { CreateCharmError } from './errors.ts';
import { type CharmFile, fileMode, listSourceFiles, readSource } from './files.ts';
import { charmNameProblem } from './names.ts';
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
  const packageFile = join(dir, 'package.json');
  if (existsSync(packageFile)) {
    const pkg: unknown = JSON.parse(readFileSync(packageFile, 'utf8'));
    if (isRecord(pkg) && typeof pkg.name === 'string' && !charmNameProblem(pkg.name)) {
      packageName = pkg.name;
    }
  }
  return { dir, name, packageName, shared: [...new Set(shared)] };
}

/** The renames a copy of `source` as `newName` applies, in order. */
export function renamesFor(source: SourceCharm, newName: string): Rename[] {
  const dirName = basename(source.dir);
  const paths: Array<[string, string]> =
    dirName === newName ? [] : [[`charms/${dirName}/`, `charms/${newName}/`]];
  // Names the old name is part of (`grafana-source`) that stay; an endpoint named exactly
  // after the charm is the charm's own name, and is renamed with it.
  const keep = source.shared.filter((t) => t !== source.name && t !== source.packageName);
  const renames: Rename[] = [{ from: source.name, to: newName, keep, paths }];
  if (source.packageName !== source.name) {
    renames.push({ from: source.packageName, to: newName, keep });
  }
  return renames;
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
  const renames = renamesFor(source, newName);
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
