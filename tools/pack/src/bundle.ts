import { join, relative, resolve } from 'node:path';
import { build, type Message, type Metafile } from 'esbuild';
import { BUNDLE_PATH } from './dispatch.ts';
import { PackError } from './errors.ts';
import { LAZY_SOURCE_MAPS_BANNER } from './lazy-source-maps.ts';

/** What esbuild produced for one charm. */
export interface Bundle {
  code: Buffer;
  map: Buffer;
  /** Licence and copyright comments esbuild took out of the bundled sources ('' if none). */
  legalComments: string;
  /** Input files (relative to the charm directory) → bytes; used to find bundled packages. */
  metafile: Metafile;
  warnings: string[];
}

/**
 * Bundles the charm's entry point with everything it imports into one CommonJS file for
 * Node.js 20+, with a linked source map (no sources content: the map only has to turn
 * bundle lines into TypeScript file:line) and legal comments kept apart.
 *
 * @throws PackError `BUNDLE` naming the file:line:column of the first build error.
 */
export async function bundleCharm(options: {
  charmDir: string;
  entry: string;
  minify: boolean;
  /** The pnpm workspace root, to name sources outside the charm (see `sourcePath`). */
  workspaceRoot?: string;
}): Promise<Bundle> {
  let result: Awaited<ReturnType<typeof build<{ write: false; metafile: true }>>>;
  try {
    result = await build({
      absWorkingDir: options.charmDir,
      entryPoints: [options.entry],
      // Never written: it only fixes the paths in the source map (relative to the charm).
      outfile: join(options.charmDir, BUNDLE_PATH),
      write: false,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'external',
      // Stack traces get TypeScript lines without Node's --enable-source-maps start-up cost.
      banner: { js: LAZY_SOURCE_MAPS_BANNER },
      metafile: true,
      minify: options.minify,
      // Minified class and function names would break code that reads `.name`.
      keepNames: options.minify,
      charset: 'utf8',
      logLevel: 'silent',
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const first = errors?.[0];
    if (first) {
      const where = first.location
        ? `${join(options.charmDir, first.location.file)}:${first.location.line}:${first.location.column}: `
        : `${join(options.charmDir, options.entry)}: `;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
      throw new PackError('BUNDLE', `${where}${first.text}${more}`, { cause: error });
    }
    throw new PackError('BUNDLE', `esbuild failed: ${(error as Error).message}`, { cause: error });
  }
  const byName = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix));
  const code = byName(BUNDLE_PATH);
  const map = byName(`${BUNDLE_PATH}.map`);
  if (!code || !map) throw new PackError('BUNDLE', 'esbuild wrote no bundle or source map');
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
