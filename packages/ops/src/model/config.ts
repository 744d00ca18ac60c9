/**
 * Config as `config-get` reports it, checked against the charm's declared options.
 * @module
 */

import type { ConfigOptionMeta } from '../charmcraft/types.ts';
import { configValueProblem } from '../charmcraft/values.ts';
import { InvalidConfigError } from '../errors.ts';

/**
 * Applies declared defaults and checks each declared option's type. Undeclared keys pass
 * through. Throws `InvalidConfigError` naming the first bad key (the runtime turns it into a
 * `blocked` status).
 */
export function validateConfig(
  raw: Record<string, unknown>,
  options: Readonly<Record<string, Readonly<ConfigOptionMeta>>> | undefined,
): Record<string, unknown> {
  const config: Record<string, unknown> = { ...raw };
  for (const [key, option] of Object.entries(options ?? {})) {
    let value = config[key];
    if (value === undefined || value === null) {
      if (option.default === undefined) {
        delete config[key];
        continue;
      }
      value = option.default;
    }
    // Juju's JSON renders a float option that holds a whole number as an integer: fine.
    const problem = configValueProblem(option.type, value);
    if (problem)
      throw new InvalidConfigError(key, `${problem}; fix it with 'juju config <app> ${key}=…'`);
    config[key] = value;
  }
  return config;
}
