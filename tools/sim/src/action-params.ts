/**
 * Action parameters from the command line, checked against actions.yaml with @charm-ts/ops'
 * rules (`checkActionParams`: types, `required`, `additionalProperties`, defaults applied), as
 * Juju checks them before the action reaches the unit.
 * @module
 */
import { type ActionMeta, checkActionParams } from '@charm-ts/ops/metadata';
import { SimError } from './errors.ts';

/**
 * Returns the params with defaults applied. Values typed on the command line are parsed as
 * YAML, so a scalar given for a `string` parameter is taken as its text (`to=123`).
 * @throws SimError `BAD_ACTION_PARAMS` naming the parameter: unknown (when
 * additionalProperties is false), missing required, or of the wrong type.
 */
export function validateActionParams(
  action: string,
  spec: ActionMeta,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const scalar = value !== null && typeof value !== 'object' && typeof value !== 'string';
    typed[key] = scalar && spec.params?.[key]?.type === 'string' ? String(value) : value;
  }
  const checked = checkActionParams(spec, typed);
  if ('params' in checked) return checked.params;
  const { param, kind, message } = checked.problem;
  const hint = kind === 'missing' ? `: pass ${param}=VALUE` : '';
  throw new SimError('BAD_ACTION_PARAMS', `action "${action}": ${message}${hint}`);
}
