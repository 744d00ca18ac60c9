/**
 * Application config: parsing `key=value` arguments against config.yaml's types, and the
 * effective settings a unit sees with `config-get`.
 * @module
 */
import type { ConfigOption } from './charm.ts';
import { SimError } from './errors.ts';

/**
 * Parses `key=value` pairs into typed values.
 * @throws SimError `UNKNOWN_KEY` for an option config.yaml does not declare, `BAD_CONFIG_VALUE`
 * for a value of the wrong type, `BAD_ARGUMENT` for an argument without `=`.
 */
export function parseConfigArgs(
  app: string,
  options: Record<string, ConfigOption>,
  pairs: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new SimError('BAD_ARGUMENT', `expected key=value, got "${pair}"`);
    }
    const key = pair.slice(0, eq);
    out[key] = coerceConfigValue(app, options, key, pair.slice(eq + 1));
  }
  return out;
}

/**
 * Converts one string to the type config.yaml declares for `key`.
 * @throws SimError `UNKNOWN_KEY` or `BAD_CONFIG_VALUE`.
 */
export function coerceConfigValue(
  app: string,
  options: Record<string, ConfigOption>,
  key: string,
  raw: string,
): unknown {
  const option = options[key];
  if (!option) {
    const known = Object.keys(options).sort().join(', ') || '(none)';
    throw new SimError(
      'UNKNOWN_KEY',
      `unknown option "${key}" for ${app}: known options: ${known}`,
    );
  }
  const wrong = () =>
    new SimError(
      'BAD_CONFIG_VALUE',
      `option "${key}" expected ${option.type}, got "${raw}": pass ${example(option.type)}`,
    );
  switch (option.type) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw.trim())) throw wrong();
      return Number.parseInt(raw, 10);
    }
    case 'float': {
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value)) throw wrong();
      return value;
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(lower)) return true;
      if (['false', 'no', 'off', '0'].includes(lower)) return false;
      throw wrong();
    }
    case 'secret':
      if (!/^secret:/.test(raw)) throw wrong();
      return raw;
    default:
      return raw;
  }
}

function example(type: ConfigOption['type']): string {
  return {
    int: 'a whole number, e.g. 8080',
    float: 'a number, e.g. 0.5',
    boolean: 'true or false',
    secret: 'a secret URI, e.g. secret:cs0abc',
    string: 'text',
  }[type];
}

/** The settings a unit sees: defaults overlaid with what the user set. */
export function effectiveConfig(
  options: Record<string, ConfigOption>,
  settings: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(options)) {
    if (key in settings) out[key] = settings[key];
    else if (option.default !== undefined && option.default !== null) out[key] = option.default;
  }
  return out;
}
