/**
 * TypeScript lines in stack traces, paid for only when something failed: a bundled charm's
 * frames (`charm.js:L:C`) are mapped through the bundle's source map when the error is printed.
 * Loading the map at start-up instead (`node --enable-source-maps`) costs every dispatch
 * tens of milliseconds, so the runtime does not need that flag.
 * @module
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRAME = /((?:\(|at )(?:file:\/\/)?)(\/[^():\s]+\.c?js):(\d+):(\d+)/g;

/**
 * Rewrites `file.js:line:col` frames of `stack` to their original `file.ts:line:col` when the
 * file has a readable source map; other frames (and frames already mapped) are left as they are.
 * Never throws.
 */
export function mapStack(stack: string): string {
  const maps = new Map<string, { map: SourceMap; dir: string } | null>();
  return stack.replace(FRAME, (all, pre: string, file: string, line: string, col: string) => {
    let entry = maps.get(file);
    if (entry === undefined) {
      entry = loadMap(file);
      maps.set(file, entry);
    }
    if (!entry) return all;
    const hit = entry.map.findEntry(Number(line) - 1, Number(col) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!hit.originalSource || hit.originalLine === undefined || hit.originalColumn === undefined)
      return all;
    const source = hit.originalSource.startsWith('file://')
      ? fileURLToPath(hit.originalSource)
      : resolve(entry.dir, hit.originalSource);
    const shown = relative(process.cwd(), source);
    return `${pre.replace('file://', '')}${shown.startsWith('..') ? source : shown}:${hit.originalLine + 1}:${hit.originalColumn + 1}`;
  });
}

function loadMap(file: string): { map: SourceMap; dir: string } | null {
  try {
    const code = readFileSync(file, 'utf8');
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code.slice(-500))?.[1];
    if (!url || url.startsWith('data:')) return null;
    const mapFile = resolve(dirname(file), url);
    return { map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))), dir: dirname(mapFile) };
  } catch {
    return null;
  }
}
