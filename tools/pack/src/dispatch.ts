/** Where the bundle and its source map go inside a charm. */
export const BUNDLE_PATH = 'charm.js';
export const SOURCE_MAP_PATH = 'charm.js.map';

/**
 * The `dispatch` script Juju runs for every hook and action (always from the charm
 * directory). As in charmcraft's, `JUJU_DISPATCH_PATH` falls back to `$0` for a Juju that
 * runs `hooks/<name>` directly. `--enable-source-maps` makes stack traces name the
 * TypeScript file and line. Without an embedded runtime it uses `node` from `PATH`.
 */
export function dispatchScript(options: { runtime: boolean }): string {
  const node = options.runtime ? './runtime/node' : 'node';
  return [
    '#!/bin/sh',
    '# Written by charm-pack: runs the bundled TypeScript charm with Node.js.',
    `JUJU_DISPATCH_PATH="\${JUJU_DISPATCH_PATH:-$0}" exec ${node} --enable-source-maps ./${BUNDLE_PATH}`,
    '',
  ].join('\n');
}
