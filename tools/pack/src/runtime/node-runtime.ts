import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, createGunzip, deflateRaw } from 'node:zlib';
import { makeEntry, type ZipEntry } from '@charm-ts/zip';
import { PackError } from '../errors.ts';
import { downloadRuntime, runtimePackage } from './registry.ts';
import { extractFiles } from './tar.ts';

/** Where the Node.js binary and its licence go inside a charm. */
export const RUNTIME_NODE_PATH = 'runtime/node';
export const RUNTIME_LICENSE_PATH = 'runtime/LICENSE';

/** The zip entries of one embedded runtime, ready to be copied into any number of charms. */
export interface RuntimeEntries {
  version: string;
  arch: string;
  node: ZipEntry;
  license: ZipEntry;
  /** True when this call downloaded and compressed it (a cold cache). */
  fresh: boolean;
}

interface CacheRecord {
  spec: string;
  crc32: number;
  size: number;
  compressedSize: number;
}

/**
 * The cache directory: `$CHARM_PACK_CACHE`, else `$XDG_CACHE_HOME/charm-ts`, else
 * `~/.cache/charm-ts`.
 */
export function defaultCacheDir(): string {
  const env = process.env;
  return env.CHARM_PACK_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'charm-ts');
}

/**
 * Returns the compressed zip entries of the Node.js runtime for `version` and Juju `arch`,
 * from `<cacheDir>/node/<version>-<arch>/` when present, else downloading the npm package
 * (integrity-checked), extracting `bin/node` and `LICENSE`, deflating the binary once and
 * caching the result. Concurrent builds wait for each other instead of compressing twice.
 *
 * @throws PackError `RUNTIME` for an unsupported architecture, a failed download or
 *   integrity check, or a tarball without `bin/node`.
 */
export async function loadRuntime(options: {
  version: string;
  arch: string;
  cacheDir: string;
  onProgress?: (message: string) => void;
}): Promise<RuntimeEntries> {
  const spec = runtimePackage(options.version, options.arch);
  const dir = join(options.cacheDir, 'node', `${options.version}-${options.arch}`);
  const cached = await readCache(dir, spec);
  if (cached) return { version: options.version, arch: options.arch, ...cached, fresh: false };
  await mkdir(join(options.cacheDir, 'node'), { recursive: true });
  const release = await lock(`${dir}.lock`);
  try {
    const again = await readCache(dir, spec);
    if (again) return { version: options.version, arch: options.arch, ...again, fresh: false };
    options.onProgress?.(`downloading ${spec} from the npm registry`);
    await fill(dir, spec, options.onProgress);
    const filled = await readCache(dir, spec);
    if (!filled) throw new PackError('RUNTIME', `runtime cache ${dir} unreadable after writing it`);
    return { version: options.version, arch: options.arch, ...filled, fresh: true };
  } finally {
    await release();
  }
}

async function readCache(
  dir: string,
  spec: string,
): Promise<{ node: ZipEntry; license: ZipEntry } | undefined> {
  let record: CacheRecord;
  try {
    record = JSON.parse(await readFile(join(dir, 'entry.json'), 'utf8')) as CacheRecord;
  } catch {
    return undefined;
  }
  if (record.spec !== spec) return undefined;
  const data = await readFile(join(dir, 'node.deflate')).catch(() => undefined);
  const license = await readFile(join(dir, 'LICENSE')).catch(() => undefined);
  // A truncated file (a build killed while writing) is a miss, not a corrupt charm.
  if (!data || !license || data.length !== record.compressedSize) return undefined;
  return {
    node: {
      name: RUNTIME_NODE_PATH,
      mode: 0o755,
      method: 8,
      crc32: record.crc32,
      size: record.size,
      data,
    },
    license: makeEntry(RUNTIME_LICENSE_PATH, license),
  };
}

async function fill(dir: string, spec: string, onProgress?: (m: string) => void): Promise<void> {
  const work = await mkdtemp(`${dir}.tmp-`);
  try {
    const tarball = await downloadRuntime(spec, work);
    const files = await extractFiles(
      createReadStream(tarball).pipe(createGunzip()),
      new Set(['package/bin/node', 'package/LICENSE']),
    );
    const node = files.get('package/bin/node');
    const license = files.get('package/LICENSE');
    if (!node || !license) {
      throw new PackError('RUNTIME', `${spec}: tarball has no package/bin/node or package/LICENSE`);
    }
    onProgress?.(`compressing ${spec} bin/node (${mib(node.data.length)}), once`);
    const deflated = await promisify(deflateRaw)(node.data, { level: 6 });
    const record: CacheRecord = {
      spec,
      crc32: crc32(node.data) >>> 0,
      size: node.data.length,
      compressedSize: deflated.length,
    };
    const out = join(work, 'out');
    await mkdir(out);
    await writeFile(join(out, 'node.deflate'), deflated);
    await writeFile(join(out, 'LICENSE'), license.data);
    await writeFile(join(out, 'entry.json'), `${JSON.stringify(record, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(out, dir);
    onProgress?.(`cached ${spec} in ${dir} (${mib(deflated.length)} compressed)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// A directory is the lock: mkdir is atomic. A lock older than ten minutes is left over from
// a killed build and is taken over.
async function lock(path: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await mkdir(path);
      return () => rm(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 10 * 60_000) await rm(path, { recursive: true, force: true });
    if (Date.now() > deadline) {
      throw new PackError('RUNTIME', `timed out waiting for the runtime cache lock ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
