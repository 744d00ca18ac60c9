/**
 * A new charm's files in memory, and writing them into the workspace all at once.
 * @module
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CreateCharmError } from './errors.ts';

/** One file of a charm: a path relative to the charm's directory, its bytes and mode. */
export interface CharmFile {
  path: string;
  content: string | Uint8Array;
  mode: number;
}

/** The workspace root: the nearest directory upwards from `from` with pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new CreateCharmError(
        `no pnpm-workspace.yaml in ${from} or above it: run pnpm new-charm inside the charm-ts workspace`,
      );
    }
    dir = parent;
  }
}

/** Directories and files a copy of a charm leaves out: build outputs and caches. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  '.turbo',
  'coverage',
  '.venv',
  '__pycache__',
  '.pytest_cache',
]);
const SKIPPED_FILE = /(\.generated\.ts|\.charm|\.pyc|\.tsbuildinfo)$/;

/** Every file under `dir` (relative paths, sorted), without build outputs and caches. */
export function listSourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
        out.push(relative(dir, full));
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** A file's permission bits. */
export function fileMode(path: string): number {
  return lstatSync(path).mode & 0o777;
}

/** Whether bytes look like text (no NUL in the first 8 KiB). */
export function isText(bytes: Uint8Array): boolean {
  return !bytes.subarray(0, 8192).includes(0);
}

/** Reads a file as text when it is text, else as bytes. */
export function readSource(path: string): string | Uint8Array {
  const bytes = readFileSync(path);
  return isText(bytes) ? bytes.toString('utf8') : bytes;
}

/** Refuses a charm directory that exists already (a file, a link or a directory). */
export function assertFree(charmsDir: string, name: string): void {
  const target = join(charmsDir, name);
  let taken = false;
  try {
    lstatSync(target);
    taken = true;
  } catch {
    // free
  }
  if (taken) {
    throw new CreateCharmError(
      `${relativeToCwd(target)} exists already: choose another name, or remove it first`,
    );
  }
}

function relativeToCwd(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/**
 * Writes the files into `<charmsDir>/<name>` in one step: into a hidden directory beside it,
 * then renamed into place, so an interrupted run leaves no half-written charm. Throws
 * `CreateCharmError` when the directory exists (nothing is written then).
 */
export function writeCharm(charmsDir: string, name: string, files: readonly CharmFile[]): string {
  assertFree(charmsDir, name);
  const target = join(charmsDir, name);
  const staging = mkdtempSync(join(charmsDir, `.new-charm-${name}-`));
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: file.mode });
    }
    assertFree(charmsDir, name);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}

/**
 * Formats the new charm with the workspace's Biome (`biome check --write`: the format, import
 * order and safe fixes `pnpm lint` asks for), so the names it was given never leave a line too
 * long. Returns a note when Biome is not installed yet or reports something left to fix.
 */
export function formatWithBiome(root: string, dir: string): string | undefined {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) {
    return `Biome is not installed yet (pnpm install): run pnpm format once it is`;
  }
  try {
    execFileSync(biome, ['check', '--write', relative(root, dir)], { cwd: root, stdio: 'pipe' });
    return undefined;
  } catch (error) {
    const out = `${(error as { stdout?: Buffer }).stdout ?? ''}${(error as { stderr?: Buffer }).stderr ?? ''}`;
    return `biome check ${relative(root, dir)} reports what it cannot fix by itself:\n${out.trim()}`;
  }
}
