import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Message, type Metafile, type Plugin } from 'esbuild';
import { BUNDLE_PATH, PEBBLE_BUNDLE_PATH } from './dispatch.ts';
import { PackError } from './errors.ts';

/** One JavaScript file of a charm and its source map. */
export interface BundleFile {
  code: Buffer;
  map: Buffer;
}

/** What esbuild produced for one charm. */
export interface Bundle extends BundleFile {
  /** The Pebble client, bundled apart (see `PEBBLE_BUNDLE_PATH`); absent when unused. */
  pebble?: BundleFile;
  /** Licence and copyright comments esbuild took out of the bundled sources ('' if none). */
  legalComments: string;
  /** Input files (relative to the charm directory) → bytes; used to find bundled packages. */
  metafile: Metafile;
  warnings: string[];
}

interface BundleOptions {
  charmDir: string;
  entry: string;
  minify: boolean;
  /** The pnpm workspace root, to name sources outside the charm (see `sourcePath`). */
  workspaceRoot?: string;
}

/**
 * Bundles the charm's entry point with everything it imports into CommonJS files for
 * Node.js 20+, with linked source maps (no sources content: a map only has to turn bundle
 * lines into TypeScript file:line) and legal comments kept apart. `@charm-ts/pebble` (with
 * undici, most of the code) goes into `pebble.cjs`, which charm.cjs requires where the charm
 * imports it: @charm-ts/ops does so only when a container is first used.
 *
 * @throws PackError `BUNDLE` naming the file:line:column of the first build error.
 */
export async function bundleCharm(options: BundleOptions): Promise<Bundle> {
  let pebbleEntry: string | undefined;
  // Every import of @charm-ts/pebble becomes require('./pebble.cjs'); the path it resolves to
  // from the charm is the entry of that second bundle.
  const pebbleApart: Plugin = {
    name: 'pebble-apart',
    setup(b) {
      b.onResolve({ filter: /^@charm-ts\/pebble$/ }, async (args) => {
        if (args.pluginData === 'pebble-apart') return undefined;
        const found = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'pebble-apart',
        });
        if (found.errors.length > 0) return { errors: found.errors };
        pebbleEntry ??= found.path;
        return { path: `./${PEBBLE_BUNDLE_PATH}`, external: true };
      });
    },
  };
  const main = await bundleOne(options, options.entry, BUNDLE_PATH, [pebbleApart]);
  const pebble = pebbleEntry
    ? await bundleOne(options, pebbleEntry, PEBBLE_BUNDLE_PATH, [undiciWithoutHttp2])
    : undefined;
  return {
    code: main.code,
    map: main.map,
    ...(pebble && { pebble: { code: pebble.code, map: pebble.map } }),
    legalComments: [main.legalComments, pebble?.legalComments ?? '']
      .filter((text) => text.trim() !== '')
      .join('\n'),
    metafile: {
      inputs: { ...main.metafile.inputs, ...pebble?.metafile.inputs },
      outputs: { ...main.metafile.outputs, ...pebble?.metafile.outputs },
    },
    warnings: [...main.warnings, ...(pebble?.warnings ?? [])],
  };
}

/**
 * undici's HTTP/2 client requires `node:http2` when it loads, inside a try/catch that falls
 * back to "no HTTP/2" for runtimes without it. Pebble speaks HTTP/1.1 on its socket and the
 * client never asks for HTTP/2, yet loading node:http2 (with tls and crypto) costs every hook
 * that talks to Pebble ~25 ms of CPU (bench/dispatch). In pebble.cjs, that one require throws,
 * so undici takes its fallback.
 */
export const undiciWithoutHttp2: Plugin = {
  name: 'undici-without-http2',
  setup(b) {
    b.onResolve({ filter: /^(node:)?http2$/ }, (args) =>
      /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer)
        ? { path: 'http2', namespace: 'undici-without-http2' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'undici-without-http2' }, () => ({
      contents:
        "throw new Error('node:http2 is left out of pebble.cjs: Pebble speaks HTTP/1.1 (see @charm-ts/pack bundle.ts)');",
      loader: 'js',
    }));
  },
};

let banner: Promise<string> | undefined;

/**
 * JavaScript put at the top of charm.cjs instead of running Node with `--enable-source-maps`
 * (which reads the map and measures every line of the bundle on every hook, error or not):
 * `@charm-ts/ops/stack-banner` bundled as an IIFE, the one stack rewriter of charm-ts (see
 * packages/ops/src/internal/stack.ts). It sets `Error.prepareStackTrace`; a bundle's map is
 * read only when one of its frames is formatted, then each frame of charm.cjs or pebble.cjs
 * gets its TypeScript file:line:column. A missing map leaves the frames as they are. Built
 * once per process, the same bytes every time (esbuild is pinned, no paths in the output).
 */
export function sourceMapBanner(): Promise<string> {
  banner ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@charm-ts/ops/stack-banner');
    const result = await build({
      absWorkingDir: dirname(entry),
      entryPoints: [entry],
      write: false,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'iife',
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
    });
    // The directive would make the whole of charm.cjs strict: the banner does not need it.
    return (result.outputFiles[0]?.text ?? '').replace(/^"use strict";\n/, '');
  })();
  return banner;
}

async function bundleOne(
  options: BundleOptions,
  entry: string,
  outPath: string,
  plugins: Plugin[],
): Promise<Omit<Bundle, 'pebble'>> {
  let result: Awaited<ReturnType<typeof build<{ write: false; metafile: true }>>>;
  try {
    result = await build({
      absWorkingDir: options.charmDir,
      entryPoints: [entry],
      // Never written: it only fixes the paths in the source map (relative to the charm).
      outfile: join(options.charmDir, outPath),
      write: false,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'external',
      // Stack traces get TypeScript lines without Node's --enable-source-maps start-up cost;
      // the banner of charm.cjs maps the frames of pebble.cjs too.
      ...(outPath === BUNDLE_PATH && { banner: { js: await sourceMapBanner() } }),
      metafile: true,
      minify: options.minify,
      // Minified class and function names would break code that reads `.name`.
      keepNames: options.minify,
      charset: 'utf8',
      logLevel: 'silent',
      plugins,
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const first = errors?.[0];
    if (first) {
      const where = first.location
        ? `${join(options.charmDir, first.location.file)}:${first.location.line}:${first.location.column}: `
        : `${resolve(options.charmDir, entry)}: `;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
      throw new PackError('BUNDLE', `${where}${first.text}${more}`, { cause: error });
    }
    throw new PackError('BUNDLE', `esbuild failed: ${(error as Error).message}`, { cause: error });
  }
  const byName = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix));
  const code = byName(outPath);
  const map = byName(`${outPath}.map`);
  if (!code || !map) throw new PackError('BUNDLE', `esbuild wrote no ${outPath} or source map`);
  return {
    code: Buffer.from(code.contents),
    map: rewriteSources(map.text, options.charmDir, options.workspaceRoot),
    legalComments: byName('.LEGAL.txt')?.text ?? '',
    metafile: result.metafile,
    warnings: result.warnings.map(
      (w) =>
        `${w.location ? `${w.location.file}:${w.location.line}:${w.location.column}: ` : ''}${w.text}`,
    ),
  };
}

/**
 * Source paths in the map are relative to the charm directory, so that stack traces on the
 * unit read `<charm dir>/src/charm.ts:12:3`. esbuild writes paths outside it as
 * `../../packages/ops/src/main.ts` or `../../node_modules/.pnpm/undici@7.30.2/node_modules/
 * undici/lib/x.js`, which on a unit would point above the charm directory; they become
 * `packages/ops/src/main.ts` (relative to the workspace) and `node_modules/undici/lib/x.js`.
 */
export function sourcePath(source: string, charmDir: string, workspaceRoot?: string): string {
  if (!source.startsWith('../')) return source;
  const parts = source.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) return parts.slice(at).join('/');
  if (workspaceRoot) {
    const relativeToRoot = relative(workspaceRoot, resolve(charmDir, source));
    if (!relativeToRoot.startsWith('..')) return relativeToRoot;
  }
  return parts.filter((part) => part !== '..').join('/');
}

function rewriteSources(text: string, charmDir: string, workspaceRoot?: string): Buffer {
  const map = JSON.parse(text) as { sources: string[] };
  map.sources = map.sources.map((source) => sourcePath(source, charmDir, workspaceRoot));
  return Buffer.from(JSON.stringify(map));
}
