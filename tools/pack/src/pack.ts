import { copyFile, link, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { CharmcraftError, loadCharmcraft } from '@charm-ts/ops/metadata';
import { makeEntry, writeZip, type ZipEntry, ZipError } from '@charm-ts/zip';
import { bundleCharm } from './bundle.ts';
import {
  BUNDLE_PATH,
  dispatchScript,
  PEBBLE_BUNDLE_PATH,
  PEBBLE_SOURCE_MAP_PATH,
  SOURCE_MAP_PATH,
} from './dispatch.ts';
import { PackError } from './errors.ts';
import { bundledPackages, NOTICES_PATH, noticesText } from './licenses.ts';
import {
  actionsDocument,
  charmFileName,
  configDocument,
  manifestDocument,
  metadataDocument,
  type PackTarget,
  packTargets,
  toYaml,
} from './metadata.ts';
import { loadRuntime, type RuntimeEntries } from './runtime/node-runtime.ts';
import { NODE_ARCHES } from './runtime/registry.ts';
import { removeStaleTempFiles, tempFileFor } from './temp-files.ts';

/** The version written into manifest.yaml. */
export const PACK_VERSION = '0.1.0';

/** Files of the charm directory that go into the .charm unchanged when present. */
const COPIED_FILES = ['README.md', 'LICENSE', 'icon.svg'];

/** How to pack one charm. */
export interface PackOptions {
  /** The directory holding charmcraft.yaml. */
  charmDir: string;
  /** Entry point, relative to charmDir. Default `src/charm.ts`. */
  entry?: string;
  /** Where the .charm files are written. Default `<charmDir>/dist`. */
  outDir?: string;
  /**
   * A second directory that gets a hard link (or copy) of every .charm, e.g. the workspace's
   * `dist/`. Default: none.
   */
  linkDir?: string;
  /** Embed the Node.js runtime (default true). False: dispatch runs `node` from PATH. */
  runtime?: boolean;
  /** Node.js version to embed. Default {@link NODE_VERSION}. */
  nodeVersion: string;
  /** Cache of compressed runtimes. */
  cacheDir: string;
  /** Pack only these architectures (default: every one charmcraft.yaml declares). */
  arches?: readonly string[];
  /** Minify the bundle (default false: readable code and stack traces on the unit). */
  minify?: boolean;
  /** One line per step: which charm, which step, what was written. */
  onProgress?: (line: string) => void;
}

/** One .charm written. */
export interface PackedCharm {
  path: string;
  target: PackTarget;
  /** Bytes of the .charm file. */
  size: number;
  /** Bytes of charm.cjs, uncompressed. */
  bundleSize: number;
}

/**
 * Packs the charm in `options.charmDir` into one `.charm` per run base and architecture:
 * metadata.yaml, config.yaml and actions.yaml (when non-empty), manifest.yaml, dispatch,
 * the esbuild bundle and its source map, licence notices, README.md/LICENSE/icon.svg when
 * present and the Node.js runtime. The same inputs always give the same bytes.
 *
 * @throws PackError `CHARMCRAFT` (charmcraft.yaml missing or invalid: the message names the
 *   file, key and fix), `TARGET` (no runtime for an architecture), `BUNDLE` (TypeScript
 *   file:line of the build error), `RUNTIME` (download or integrity failure), `ZIP`, `IO`.
 */
export async function packCharm(options: PackOptions): Promise<PackedCharm[]> {
  const charmDir = resolve(options.charmDir);
  const runtime = options.runtime ?? true;
  const meta = await loadCharmcraft(charmDir).catch((error: unknown) => {
    if (error instanceof CharmcraftError) {
      throw new PackError('CHARMCRAFT', error.message, { cause: error });
    }
    throw error;
  });
  const say = (step: string, detail: string) =>
    options.onProgress?.(`${meta.name}: ${step.padEnd(8)} ${detail}`);
  const declared = packTargets(meta);
  const targets = options.arches
    ? declared.filter((t) => options.arches?.includes(t.arch))
    : declared;
  if (targets.length === 0) {
    throw new PackError(
      'USAGE',
      `${meta.file} declares no platform for --arch ${options.arches?.join(',')} (it has: ${[...new Set(declared.map((t) => t.arch))].join(', ')})`,
    );
  }
  if (runtime) {
    for (const target of targets) {
      if (!NODE_ARCHES[target.arch]) {
        throw new PackError(
          'TARGET',
          `${meta.file}: platforms: architecture '${target.arch}' has no embedded Node.js runtime (supported: ${Object.keys(NODE_ARCHES).join(', ')}); remove it, or pack with --no-runtime`,
        );
      }
    }
  }

  const started = Date.now();
  const workspaceRoot = await findWorkspaceRoot(charmDir);
  const bundle = await bundleCharm({
    charmDir,
    entry: options.entry ?? 'src/charm.ts',
    minify: options.minify ?? false,
    ...(workspaceRoot && { workspaceRoot }),
  });
  for (const warning of bundle.warnings) say('warning', warning);
  const packages = await bundledPackages(charmDir, bundle.metafile);
  say(
    'bundle',
    `${BUNDLE_PATH} ${kib(bundle.code.length)}, map ${kib(bundle.map.length)}${bundle.pebble ? `, ${PEBBLE_BUNDLE_PATH} ${kib(bundle.pebble.code.length)}` : ''}, ${packages.length} bundled packages (${Date.now() - started} ms)`,
  );

  const common = await commonEntries(charmDir, meta, bundle, packages, runtime);
  const outDir = resolve(options.outDir ?? join(charmDir, 'dist'));
  await mkdir(outDir, { recursive: true });
  for (const stale of await removeStaleTempFiles(outDir)) {
    say('cleaned', `${relative(process.cwd(), stale) || stale} (left by an interrupted pack)`);
  }
  const runtimes = new Map<string, RuntimeEntries>();
  const packed: PackedCharm[] = [];
  for (const target of targets) {
    const entries = [
      ...common,
      makeEntry('manifest.yaml', Buffer.from(toYaml(manifestDocument(target, PACK_VERSION)))),
    ];
    if (runtime) {
      let entry = runtimes.get(target.arch);
      if (!entry) {
        const t0 = Date.now();
        entry = await loadRuntime({
          version: options.nodeVersion,
          arch: target.arch,
          cacheDir: options.cacheDir,
          onProgress: (line) => say('runtime', line),
        });
        say(
          'runtime',
          `node ${entry.version} ${target.arch}: ${mib(entry.node.data.length)} compressed (${entry.fresh ? 'downloaded' : 'cached'}, ${Date.now() - t0} ms)`,
        );
        runtimes.set(target.arch, entry);
      }
      entries.push(entry.node, entry.license);
    }
    const path = join(outDir, charmFileName(meta.name, target));
    const { tmp, done } = tempFileFor(path);
    try {
      const size = await writeZip(tmp, entries).catch((error: unknown) => {
        if (error instanceof ZipError) throw new PackError('ZIP', error.message, { cause: error });
        throw error;
      });
      await rename(tmp, path);
      say(
        'wrote',
        `${relative(process.cwd(), path) || path} (${mib(size)}, ${entries.length} files)`,
      );
      packed.push({ path, target, size, bundleSize: bundle.code.length });
    } finally {
      await rm(tmp, { force: true });
      done();
    }
    if (options.linkDir) await linkInto(path, resolve(options.linkDir), say);
  }
  return packed;
}

async function commonEntries(
  charmDir: string,
  meta: Awaited<ReturnType<typeof loadCharmcraft>>,
  bundle: Awaited<ReturnType<typeof bundleCharm>>,
  packages: Awaited<ReturnType<typeof bundledPackages>>,
  runtime: boolean,
): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [
    makeEntry('metadata.yaml', Buffer.from(toYaml(metadataDocument(meta)))),
    makeEntry('dispatch', Buffer.from(dispatchScript({ runtime })), 0o755),
    // Executable: charmcraft's linter takes the last word of dispatch as the entrypoint and
    // wants it executable, as charmcraft packs src/charm.py.
    makeEntry(BUNDLE_PATH, bundle.code, 0o755),
    makeEntry(SOURCE_MAP_PATH, bundle.map),
  ];
  if (bundle.pebble) {
    entries.push(
      makeEntry(PEBBLE_BUNDLE_PATH, bundle.pebble.code),
      makeEntry(PEBBLE_SOURCE_MAP_PATH, bundle.pebble.map),
    );
  }
  const config = configDocument(meta);
  if (config) entries.push(makeEntry('config.yaml', Buffer.from(toYaml(config))));
  const actions = actionsDocument(meta);
  if (actions) entries.push(makeEntry('actions.yaml', Buffer.from(toYaml(actions))));
  const notices = noticesText(packages, bundle.legalComments);
  if (notices) entries.push(makeEntry(NOTICES_PATH, Buffer.from(notices)));
  for (const file of COPIED_FILES) {
    const data = await readFile(join(charmDir, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new PackError('IO', `cannot read ${join(charmDir, file)}: ${error.message}`);
    });
    if (data) entries.push(makeEntry(file, data));
  }
  return entries;
}

// A hard link costs nothing whatever the size; a copy is the fallback across file systems.
async function linkInto(
  path: string,
  dir: string,
  say: (step: string, detail: string) => void,
): Promise<void> {
  if (resolve(dirname(path)) === dir) return;
  await mkdir(dir, { recursive: true });
  const target = join(dir, path.slice(dirname(path).length + 1));
  await rm(target, { force: true });
  try {
    await link(path, target);
  } catch {
    await copyFile(path, target);
  }
  say('linked', relative(process.cwd(), target) || target);
}

/**
 * The nearest directory at or above `from` that holds pnpm-workspace.yaml, or undefined.
 */
export async function findWorkspaceRoot(from: string): Promise<string | undefined> {
  let dir = resolve(from);
  for (;;) {
    const found = await stat(join(dir, 'pnpm-workspace.yaml')).then(
      () => true,
      () => false,
    );
    if (found) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? kib(bytes) : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
