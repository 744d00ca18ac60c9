/**
 * JavaScript put at the top of every bundle (an esbuild banner) instead of running Node with
 * `--enable-source-maps`. Node's flag reads the map and measures every line of the bundle
 * while loading it, on every hook, error or not (tens of milliseconds for a framework-sized
 * bundle, see bench/build). This hook does the work only when a stack trace is formatted:
 * the first time a frame of a bundle (charm.cjs, or pebble.cjs beside it) shows up, it reads
 * that bundle's map with `node:module`'s SourceMap; then each such frame gets its TypeScript
 * file:line:column, in V8's own frame text.
 *
 * It stays out of the way of code that sets its own `Error.prepareStackTrace`, and when a
 * map is missing or unreadable stack traces are left as they are.
 */
export const LAZY_SOURCE_MAPS_BANNER = `(() => {
  const bundles = [__filename, require('node:path').join(__dirname, 'pebble.cjs')];
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      try {
        const { SourceMap } = require('node:module');
        maps.set(file, new SourceMap(JSON.parse(require('node:fs').readFileSync(file + '.map', 'utf8'))));
      } catch {
        maps.set(file, null);
      }
    }
    return maps.get(file);
  };
  Error.prepareStackTrace = (error, frames) => {
    let header;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = 'Error';
    }
    const lines = frames.map((frame) => {
      const text = String(frame);
      const file = frame.getFileName();
      const map = bundles.includes(file) ? mapOf(file) : null;
      if (!map) return '    at ' + text;
      const line = frame.getLineNumber();
      const column = frame.getColumnNumber();
      const entry = map.findEntry(line - 1, column - 1);
      if (!entry || entry.originalSource === undefined) return '    at ' + text;
      const source = require('node:path').resolve(require('node:path').dirname(file), entry.originalSource);
      const where = file + ':' + line + ':' + column;
      return '    at ' + text.replace(where, source + ':' + (entry.originalLine + 1) + ':' + (entry.originalColumn + 1));
    });
    return [header, ...lines].join('\\n');
  };
})();`;
