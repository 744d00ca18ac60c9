/** Where the bundle and its source map go inside a charm. */
export const BUNDLE_PATH = 'charm.cjs';
export const SOURCE_MAP_PATH = 'charm.cjs.map';
/**
 * Where the Pebble client (@charm-ts/pebble with undici) goes, bundled apart from charm.cjs: the
 * runtime requires it only when the charm first uses a container, so a hook that does not talk
 * to Pebble never reads (or compiles) it.
 */
export const PEBBLE_BUNDLE_PATH = 'pebble.cjs';
export const PEBBLE_SOURCE_MAP_PATH = 'pebble.cjs.map';

/**
 * The `dispatch` script Juju runs for every hook and action (always from the charm
 * directory). As in charmcraft's, `JUJU_DISPATCH_PATH` falls back to `$0` for a Juju that
 * runs `hooks/<name>` directly. Stack traces name TypeScript files and lines through the bundle's lazy
 * source-map banner (see `sourceMapBanner` in bundle.ts), not `--enable-source-maps`, which would cost
 * every hook tens of milliseconds. With the embedded runtime (Node >= 22), V8's compile cache
 * in the charm directory spares recompiling the bundle on every hook; Node ignores it when
 * the directory is not writable. Without an embedded runtime it uses `node` from `PATH`.
 */
export function dispatchScript(options: { runtime: boolean }): string {
  const lines = [
    '#!/bin/sh',
    '# Written by charm-pack: runs the bundled TypeScript charm with Node.js.',
  ];
  if (options.runtime) {
    lines.push(
      '# V8 keeps the compiled bundle in .node-compile-cache between hooks (best effort).',
      `NODE_COMPILE_CACHE="\${NODE_COMPILE_CACHE:-$PWD/.node-compile-cache}" \\`,
      `  JUJU_DISPATCH_PATH="\${JUJU_DISPATCH_PATH:-$0}" exec ./runtime/node ./${BUNDLE_PATH}`,
    );
  } else {
    lines.push(`JUJU_DISPATCH_PATH="\${JUJU_DISPATCH_PATH:-$0}" exec node ./${BUNDLE_PATH}`);
  }
  return `${lines.join('\n')}\n`;
}
