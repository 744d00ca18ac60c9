/**
 * Application config from the command line: `key=value` arguments parsed against config.yaml's
 * types with @charm-ts/ops' rules (`parseConfigValue`, as `juju config` parses them), each
 * refusal a `SimError` naming the option and what to pass.
 * @module
 */
import {
  type ConfigOptionMeta,
  type ConfigOptionType,
  parseConfigValue,
} from '@charm-ts/ops/metadata';
import { SimError } from './errors.ts';

const EXAMPLES: Record<ConfigOptionType, string> = {
  int: 'a whole number, e.g. 8080',
  float: 'a number, e.g. 0.5',
  boolean: 'true or false',
  secret: 'a secret URI, e.g. secret:cs0abc',
  string: 'text',
};

/**
 * Parses `key=value` pairs into typed values.
 * @throws SimError `UNKNOWN_KEY` for an option config.yaml does not declare, `BAD_CONFIG_VALUE`
 * for a value of the wrong type, `BAD_ARGUMENT` for an argument without `=`.
 */
export function parseConfigArgs(
  app: string,
  options: Readonly<Record<string, ConfigOptionMeta>>,
  pairs: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SimError('BAD_ARGUMENT', `expected key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const option = options[key];
    if (!option) {
      const known = Object.keys(options).sort().join(', ') || '(none)';
      throw new SimError(
        'UNKNOWN_KEY',
        `unknown option "${key}" for ${app}: known options: ${known}`,
      );
    }
    const parsed = parseConfigValue(key, option.type, pair.slice(eq + 1));
    if ('problem' in parsed) {
      throw new SimError('BAD_CONFIG_VALUE', `${parsed.problem}: pass ${EXAMPLES[option.type]}`);
    }
    out[key] = parsed.value;
  }
  return out;
}
