/**
 * Writing an archive's tree into a directory so that nothing lands outside it, whatever the
 * archive says: absolute names, `..`, duplicate entries, symlinks whose target leaves the
 * directory (followed through the archive's other symlinks, as the kernel would), and entries
 * placed under a symlink or a file the archive made earlier. The whole tree is checked before
 * the first byte is written, so a refused archive leaves nothing behind; then every file is
 * created with `O_EXCL | O_NOFOLLOW` under parents checked with `lstat`, so no symlink is ever
 * followed while writing.
 *
 * Kept apart from the zip reader: it checks entries, whatever format they came from.
 * @module
 */
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { SimError } from './errors.ts';

/** One entry of an archive, as a reader hands it over. */
export interface TreeEntry {
  /** Path inside the archive, `/`-separated; directories may end in `/`. */
  readonly name: string;
  /** Unix permission bits, or undefined when the archive did not record them. */
  readonly mode: number | undefined;
  readonly symlink: boolean;
  readonly directory: boolean;
  /** File contents, or the symlink's target. */
  readonly data: Buffer;
  /** A file's contents are in this host file instead of `data` (see {@link readTree}). */
  readonly source?: string;
}

/** A checked entry: a safe relative path and what to make there. */
export interface PlannedEntry {
  /** Path segments under the directory; none is empty, `.` or `..`. */
  readonly segments: readonly string[];
  readonly kind: 'file' | 'directory' | 'symlink';
  /** Permission bits for a file (0o644 when the archive has none; never setuid/setgid/sticky). */
  readonly mode: number;
  readonly data: Buffer;
  readonly source?: string;
}

type Node = { kind: 'file' } | { kind: 'directory' } | { kind: 'symlink'; target: string };

// As the kernel's limit on symlinks followed in one path lookup (ELOOP).
const MAX_HOPS = 40;

/**
 * Checks an archive's entries and returns them ready to write.
 * @throws SimError `BAD_CHARM` naming `label` and the entry: an absolute name, a `..` or empty
 * segment, a NUL byte, an entry given twice, an entry under a symlink or a file, a symlink that
 * is absolute, empty, loops or resolves (through the archive's other symlinks) outside.
 */
export function planExtraction(entries: readonly TreeEntry[], label: string): PlannedEntry[] {
  const bad = (name: string, why: string) =>
    new SimError(
      'BAD_CHARM',
      `cannot unpack ${label}: entry "${printable(name)}" ${why}; rebuild it with charm-pack`,
    );
  const tree = new Map<string, Node>();
  const listed = new Set<string>();
  const planned: PlannedEntry[] = [];
  for (const entry of entries) {
    const segments = entrySegments(entry, bad);
    const key = segments.join('/');
    // Every parent is a directory made by this archive, never a symlink or a file.
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      const node = tree.get(parent);
      if (node === undefined) tree.set(parent, { kind: 'directory' });
      else if (node.kind === 'symlink') throw bad(entry.name, `is under the symlink "${parent}"`);
      else if (node.kind === 'file') throw bad(entry.name, `is under the file "${parent}"`);
    }
    const existing = tree.get(key);
    if (existing !== undefined) {
      // A directory implied by an earlier entry may still be listed once on its own.
      if (!(entry.directory && existing.kind === 'directory' && !listed.has(key))) {
        throw bad(entry.name, 'is in the archive more than once');
      }
    }
    listed.add(key);
    if (entry.directory) {
      tree.set(key, { kind: 'directory' });
      planned.push({ segments, kind: 'directory', mode: 0o755, data: Buffer.alloc(0) });
    } else if (entry.symlink) {
      const target = entry.data.toString('utf8');
      if (target === '' || target.includes('\0')) throw bad(entry.name, 'is an empty symlink');
      if (target.startsWith('/'))
        throw bad(entry.name, `is a symlink to the absolute path "${printable(target)}"`);
      tree.set(key, { kind: 'symlink', target });
      planned.push({ segments, kind: 'symlink', mode: 0o777, data: entry.data });
    } else {
      tree.set(key, { kind: 'file' });
      const mode = (entry.mode ?? 0o644) & 0o777;
      const source = entry.source === undefined ? {} : { source: entry.source };
      planned.push({ segments, kind: 'file', mode, data: entry.data, ...source });
    }
  }
  // Only now that the whole tree is known: a symlink may point through symlinks made later.
  for (const entry of planned) {
    if (entry.kind !== 'symlink') continue;
    const problem = resolveInside(tree, entry.segments);
    if (problem) throw bad(entry.segments.join('/'), problem);
  }
  return planned;
}

function entrySegments(entry: TreeEntry, bad: (name: string, why: string) => SimError): string[] {
  const name = entry.name;
  if (name.includes('\0')) throw bad(name, 'has a NUL byte in its name');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw bad(name, 'is an absolute path (an archive entry must be relative)');
  const segments = (entry.directory ? name.replace(/\/$/, '') : name).split('/');
  if (segments.includes('..')) throw bad(name, 'escapes the charm directory (it has "..")');
  if (segments.some((s) => s === '' || s === '.'))
    throw bad(name, 'has an empty or "." path segment');
  return segments;
}

/**
 * Follows the symlink at `segments` through the tree as the kernel would; returns why it
 * leaves the directory (or loops), or undefined when it stays inside. A name the archive does
 * not hold is taken as a plain directory or file.
 */
function resolveInside(tree: Map<string, Node>, segments: readonly string[]): string | undefined {
  const link = tree.get(segments.join('/'));
  if (link?.kind !== 'symlink') return undefined;
  const at = segments.slice(0, -1);
  const todo = link.target.split('/');
  let hops = 1;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return `is a symlink to "${printable(link.target)}", outside the charm`;
      at.pop();
      continue;
    }
    const node = tree.get([...at, part].join('/'));
    if (node?.kind === 'symlink') {
      if (++hops > MAX_HOPS) return 'is a symlink that loops';
      if (node.target.startsWith('/')) {
        return `is a symlink to "${printable(link.target)}", outside the charm`;
      }
      todo.unshift(...node.target.split('/'));
      continue;
    }
    at.push(part);
  }
  return undefined;
}

/**
 * Writes `plan` into `dir`, which must not exist yet (it is made with mode 0755).
 * @throws SimError `BAD_CHARM` when a write fails (the message names the entry); the caller
 * removes `dir`.
 */
export function writePlanned(plan: readonly PlannedEntry[], dir: string, label: string): void {
  mkdirSync(dir, { mode: 0o755 });
  writeInto(plan, dir, label, false);
}

/**
 * Writes `plan` over the existing tree in `dir` (a refresh over a unit's charm directory):
 * whatever stands where an entry goes, or on its way, is replaced, never followed. Files the
 * plan does not name stay.
 * @throws SimError `BAD_CHARM` when a write fails.
 */
export function overwritePlanned(plan: readonly PlannedEntry[], dir: string, label: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!lstatSync(dir).isDirectory()) throw new SimError('BAD_CHARM', `${dir} is not a directory`);
  writeInto(plan, dir, label, true);
}

function writeInto(
  plan: readonly PlannedEntry[],
  dir: string,
  label: string,
  replace: boolean,
): void {
  for (const entry of plan) {
    const path = entry.segments.join('/');
    try {
      let parent = dir;
      for (const segment of entry.segments.slice(0, -1)) {
        parent = join(parent, segment);
        ensureRealDirectory(parent, replace);
      }
      const target = join(dir, ...entry.segments);
      if (entry.kind === 'directory') {
        ensureRealDirectory(target, replace);
        continue;
      }
      if (replace) rmSync(target, { recursive: true, force: true });
      if (entry.kind === 'symlink') symlinkSync(entry.data.toString('utf8'), target);
      else writeNewFile(target, entry);
    } catch (cause) {
      if (cause instanceof SimError) throw cause;
      throw new SimError(
        'BAD_CHARM',
        `cannot unpack ${label}: entry "${printable(path)}": ${(cause as Error).message}`,
        { cause },
      );
    }
  }
}

/** Makes `path` a directory of its own: an existing symlink or file there is removed first. */
function ensureRealDirectory(path: string, replace: boolean): void {
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) return;
  if (stat) {
    // Only a refresh meets something already there; a fresh directory never does.
    if (!replace) throw new Error(`${path} exists and is not a directory`);
    rmSync(path, { force: true });
  }
  mkdirSync(path, { mode: 0o755 });
}

// O_EXCL: never through a symlink standing at `path`, never over anything.
function writeNewFile(path: string, entry: PlannedEntry): void {
  if (entry.source !== undefined) {
    copyFileSync(entry.source, path, constants.COPYFILE_EXCL);
    chmodSync(path, entry.mode);
    return;
  }
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
  const fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, entry.mode);
  try {
    let written = 0;
    while (written < entry.data.length) written += writeSync(fd, entry.data, written);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an unpacked tree back as entries (files by path, directories, symlinks; never
 * following a symlink), so it can be checked again and written over another directory with
 * {@link overwritePlanned}.
 */
export function readTree(dir: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const none = Buffer.alloc(0);
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(dir, path);
      const stat = lstatSync(full);
      const base = { name: path, symlink: false, directory: false, data: none };
      if (stat.isSymbolicLink()) {
        out.push({ ...base, mode: 0o777, symlink: true, data: Buffer.from(readlinkSync(full)) });
      } else if (stat.isDirectory()) {
        out.push({ ...base, name: `${path}/`, mode: 0o755, directory: true });
        walk(path);
      } else if (stat.isFile()) {
        out.push({ ...base, mode: stat.mode & 0o777, source: full });
      }
    }
  };
  walk('');
  return out;
}

/** A name safe to print on one line: control characters escaped, long names cut. */
function printable(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > 120 ? `${escaped.slice(0, 117)}...` : escaped;
}
