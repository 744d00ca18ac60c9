/**
 * TypeScript lines in stack traces, paid for only when something failed: frames of a bundle
 * (`charm.cjs:L:C`) are mapped through the bundle's linked source map when a stack trace is
 * formatted. Loading the map at start-up instead (`node --enable-source-maps`) costs every
 * dispatch tens of milliseconds.
 *
 * The one stack rewriter of charm-ts: the runtime maps the error it prints (`describeError`),
 * and charm-pack bundles `installStackMapping` (see stack-banner.ts) at the top of every
 * `charm.cjs`, so every stack trace of a packed charm is mapped, whoever prints it, ops or not.
 * Nothing is loaded until a frame needs a map: no imports (built-in modules are taken with
 * `process.getBuiltinModule` on first use), each map read once per process.
 * @module
 */
import type { SourceMap } from 'node:module';

// `at fn (/abs/file.cjs:L:C)` or `at /abs/file.js:L:C`, with or without file://.
const FRAME = /((?:\(|at )(?:file:\/\/)?)(\/[^():\s]+\.c?js):(\d+):(\d+)/g;

type Loaded = { map: SourceMap; dir: string } | null;
const maps = new Map<string, Loaded>();

/**
 * Rewrites `file.js:line:col` frames of `stack` to their original `file.ts:line:col` (an
 * absolute path) when the file has a readable linked source map; other frames, and frames
 * already mapped, are left as they are. Never throws.
 */
export function mapStack(stack: string): string {
  return stack.replace(FRAME, (all, pre: string, file: string, line: string, col: string) => {
    let loaded = maps.get(file);
    if (loaded === undefined) {
      loaded = loadMap(file);
      maps.set(file, loaded);
    }
    if (!loaded) return all;
    const hit = loaded.map.findEntry(Number(line) - 1, Number(col) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!hit.originalSource || hit.originalLine === undefined || hit.originalColumn === undefined)
      return all;
    const { resolve } = builtin('node:path');
    const source = hit.originalSource.startsWith('file://')
      ? builtin('node:url').fileURLToPath(hit.originalSource)
      : resolve(loaded.dir, hit.originalSource);
    return `${pre.replace('file://', '')}${source}:${hit.originalLine + 1}:${hit.originalColumn + 1}`;
  });
}

/**
 * Formats every stack trace of this process as V8 does, then maps it with {@link mapStack}.
 * Code that sets its own `Error.prepareStackTrace` later takes over.
 */
export function installStackMapping(): void {
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    let header: string;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = 'Error';
    }
    return mapStack([header, ...frames.map((frame) => `    at ${frame}`)].join('\n'));
  };
}

function loadMap(file: string): Loaded {
  try {
    const fs = builtin('node:fs');
    const { dirname, resolve } = builtin('node:path');
    // The sourceMappingURL comment is the bundle's last line: read only the tail.
    const fd = fs.openSync(file, 'r');
    let tail: string;
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.min(size, 500));
      fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      tail = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(tail)?.[1];
    if (!url || url.startsWith('data:')) return null;
    const mapFile = resolve(dirname(file), url);
    const { SourceMap } = builtin('node:module');
    return {
      map: new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8'))),
      dir: dirname(mapFile),
    };
  } catch {
    return null;
  }
}

function builtin<const Id extends 'node:fs' | 'node:module' | 'node:path' | 'node:url'>(id: Id) {
  return process.getBuiltinModule(id);
}
