/**
 * `pushPath` / `pullPath`: whole files and trees between the charm container and a workload
 * container, as ops' `push_path` / `pull_path` copy them. `node:fs` is reached through
 * `process.getBuiltinModule` when a copy runs, so hooks that copy nothing do not load it.
 * @module
 */
import { basename, join } from 'node:path';
import type { FileInfo, Pebble, RequestOptions } from '@charm-ts/pebble';
import { ModelError } from '../errors.ts';

/** Options of `pushPath` / `pullPath`. */
export type PathCopyOptions = RequestOptions;

/** Some paths of a `pushPath` / `pullPath` could not be copied; the others were. */
export class PathCopyError extends ModelError {
  /** Each path that failed, with its error. */
  readonly failures: readonly { path: string; error: unknown }[];

  constructor(verb: 'push' | 'pull', failures: { path: string; error: unknown }[]) {
    const list = failures
      .map((f) => `${f.path}: ${f.error instanceof Error ? f.error.message : String(f.error)}`)
      .join('; ');
    super(`cannot ${verb} ${failures.length} path(s): ${list}`, { code: 'OPS_PATH_COPY' });
    this.failures = failures;
  }
}

const fs = () => process.getBuiltinModule('node:fs');
const fsp = () => process.getBuiltinModule('node:fs/promises');

/** `/a/b` → [[/a/b, dest/b]]; `/a/b/*` → each entry of /a/b into dest. */
async function expand(
  sources: string | readonly string[],
  destDir: string,
  list: (dir: string) => Promise<string[]>,
): Promise<[string, string][]> {
  const pairs: [string, string][] = [];
  for (const source of typeof sources === 'string' ? [sources] : sources) {
    if (source.endsWith('/*')) {
      const dir = source.slice(0, -2);
      for (const name of await list(dir)) pairs.push([join(dir, name), join(destDir, name)]);
    } else {
      pairs.push([source, join(destDir, basename(source))]);
    }
  }
  return pairs;
}

/** Pushes local `sources` into the workload's `destDir`; throws `PathCopyError` after trying all. */
export async function pushPath(
  pebble: Pebble,
  sources: string | readonly string[],
  destDir: string,
  options: PathCopyOptions = {},
): Promise<void> {
  const failures: { path: string; error: unknown }[] = [];
  const copy = async (local: string, remote: string): Promise<void> => {
    try {
      const stat = await fsp().lstat(local);
      if (stat.isDirectory()) {
        await pebble.makeDir(remote, {
          ...options,
          makeParents: true,
          permissions: stat.mode & 0o7777,
        });
        for (const name of (await fsp().readdir(local)).sort())
          await copy(join(local, name), join(remote, name));
      } else if (stat.isFile()) {
        await pebble.push(remote, fs().createReadStream(local), {
          ...options,
          makeDirs: true,
          permissions: stat.mode & 0o7777,
        });
      }
    } catch (error) {
      failures.push({ path: local, error });
    }
  };
  try {
    for (const [local, remote] of await expand(sources, destDir, (d) => fsp().readdir(d)))
      await copy(local, remote);
  } catch (error) {
    failures.push({ path: String(sources), error });
  }
  if (failures.length > 0) throw new PathCopyError('push', failures);
}

/** Pulls the workload's `sources` into local `destDir`; throws `PathCopyError` after trying all. */
export async function pullPath(
  pebble: Pebble,
  sources: string | readonly string[],
  destDir: string,
  options: PathCopyOptions = {},
): Promise<void> {
  const failures: { path: string; error: unknown }[] = [];
  const copy = async (info: FileInfo, local: string): Promise<void> => {
    try {
      if (info.type === 'directory') {
        await fsp().mkdir(local, { recursive: true, mode: info.permissions });
        for (const entry of await pebble.listFiles(info.path, options))
          await copy(entry, join(local, entry.name));
      } else if (info.type === 'file') {
        await fsp().mkdir(join(local, '..'), { recursive: true });
        const stream = await pebble.pull(info.path, options);
        const { pipeline } = process.getBuiltinModule('node:stream/promises');
        await pipeline(stream, fs().createWriteStream(local, { mode: info.permissions }));
      }
    } catch (error) {
      failures.push({ path: info.path, error });
    }
  };
  const list = async (dir: string) => (await pebble.listFiles(dir, options)).map((f) => f.name);
  try {
    for (const [remote, local] of await expand(sources, destDir, list)) {
      try {
        const [info] = await pebble.listFiles(remote, { ...options, itself: true });
        if (info) await copy({ ...info, path: remote }, local);
      } catch (error) {
        failures.push({ path: remote, error });
      }
    }
  } catch (error) {
    failures.push({ path: String(sources), error });
  }
  if (failures.length > 0) throw new PathCopyError('pull', failures);
}
