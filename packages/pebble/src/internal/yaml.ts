/**
 * The `yaml` package, loaded on first use. A hook that adds a layer object and replans needs
 * no YAML at all (layers go to Pebble as JSON text, which is YAML), so a charm does not pay for
 * initialising the parser (~12 ms of CPU on the reference machine, see bench/dispatch) unless it
 * reads the plan or a YAML layer. A CommonJS bundle and Vitest both provide `require`.
 * @module
 */
import type * as Yaml from 'yaml';

let yaml: typeof Yaml | undefined;

/**
 * The `yaml` module.
 * @throws Error when the code runs as native ES modules without `require` (bundle it as
 *   CommonJS, or give the ESM bundle a `require` from `createRequire`).
 */
export function loadYaml(): typeof Yaml {
  if (!yaml) {
    if (typeof require !== 'function') {
      throw new Error(
        "@charm-ts/pebble needs 'require' to load yaml: bundle it as CommonJS, or add a createRequire banner to the ESM bundle",
      );
    }
    yaml = require('yaml') as typeof Yaml;
  }
  return yaml;
}
