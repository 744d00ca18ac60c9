/**
 * Checking action parameters against actions.yaml (the JSON-schema subset charms use) and
 * filling in defaults, as Juju does before the action reaches the unit.
 * @module
 */
import type { ActionSpec } from './charm.ts';
import { SimError } from './errors.ts';

const CHECKS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/**
 * Returns the params with defaults applied.
 * @throws SimError `BAD_ACTION_PARAMS` naming the parameter: unknown (when
 * additionalProperties is false), missing required, or of the wrong type.
 */
export function validateActionParams(
  action: string,
  spec: ActionSpec,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(spec.params)) {
    if ('default' in schema) out[key] = schema.default;
  }
  for (const [key, value] of Object.entries(params)) {
    const schema = spec.params[key];
    if (!schema && !spec.additionalProperties) {
      const known = Object.keys(spec.params).join(', ') || '(none)';
      throw new SimError(
        'BAD_ACTION_PARAMS',
        `action "${action}": unknown parameter "${key}": known parameters: ${known}`,
      );
    }
    const type = schema?.type;
    if (typeof type === 'string' && CHECKS[type] && !CHECKS[type](value)) {
      // Values typed on the command line are parsed as YAML; a string was probably meant.
      if (type === 'string' && value !== null && typeof value !== 'object')
        out[key] = String(value);
      else {
        throw new SimError(
          'BAD_ACTION_PARAMS',
          `action "${action}": parameter "${key}" must be ${type}, got ${JSON.stringify(value)}`,
        );
      }
    } else out[key] = value;
  }
  for (const key of spec.required) {
    if (!(key in out)) {
      throw new SimError(
        'BAD_ACTION_PARAMS',
        `action "${action}": missing required parameter "${key}": pass ${key}=VALUE`,
      );
    }
  }
  return out;
}
