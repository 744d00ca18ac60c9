/**
 * `config.options` and `actions` of charmcraft.yaml.
 * @module
 */
import { type Checker, join } from './check.ts';
import type { ActionMeta, ConfigOptionMeta, ConfigOptionType, JsonSchema } from './types.ts';
import { configValueProblem } from './values.ts';

const CONFIG_TYPES: readonly ConfigOptionType[] = ['string', 'int', 'float', 'boolean', 'secret'];
const ACTION_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

/** Validates `config` (only `options` is allowed under it). Throws `CharmcraftError`. */
export function parseConfig(c: Checker, value: unknown): Record<string, ConfigOptionMeta> {
  const config = c.optMap(value, 'config', ['options']);
  const out: Record<string, ConfigOptionMeta> = {};
  for (const [key, raw] of Object.entries(c.optMap(config.options, 'config.options'))) {
    const path = join('config.options', key);
    const m = c.map(raw, path, ['type', 'default', 'description']);
    const type = c.oneOf(c.required(m, 'type', path), join(path, 'type'), CONFIG_TYPES);
    const option: ConfigOptionMeta = { type };
    if (m.description !== undefined)
      option.description = c.str(m.description, join(path, 'description'));
    if (m.default !== undefined && m.default !== null) {
      const problem = configValueProblem(type, m.default);
      if (problem) c.fail(join(path, 'default'), `${problem}; change the default or the type`);
      option.default = m.default as string | number | boolean;
    }
    out[key] = option;
  }
  return out;
}

/** Validates `actions`. Throws `CharmcraftError`. */
export function parseActions(c: Checker, value: unknown): Record<string, ActionMeta> {
  const out: Record<string, ActionMeta> = {};
  const keys = [
    'description',
    'params',
    'required',
    'additionalProperties',
    'parallel',
    'execution-group',
  ];
  for (const [name, raw] of Object.entries(c.optMap(value, 'actions'))) {
    const path = join('actions', name);
    c.name(name, path, ACTION_NAME, 'action name (lowercase letters, digits and dashes)');
    if (name.startsWith('juju-'))
      c.fail(path, "action names 'juju-*' are reserved by Juju; rename it");
    const m = c.optMap(raw, path, keys);
    const action: ActionMeta = {};
    if (m.description !== undefined)
      action.description = c.str(m.description, join(path, 'description'));
    if (m.params !== undefined) {
      const params = c.optMap(m.params, join(path, 'params'));
      for (const [p, schema] of Object.entries(params))
        c.map(schema, join(join(path, 'params'), p));
      action.params = params as Record<string, JsonSchema>;
    }
    if (m.required !== undefined) {
      action.required = c.strList(m.required, join(path, 'required'));
      action.required.forEach((r, i) => {
        if (!action.params?.[r])
          c.fail(`${path}.required[${i}]`, `'${r}' is not a declared param; add it under params`);
      });
    }
    if (m.additionalProperties !== undefined)
      action.additionalProperties = c.bool(
        m.additionalProperties,
        join(path, 'additionalProperties'),
      );
    if (m.parallel !== undefined) action.parallel = c.bool(m.parallel, join(path, 'parallel'));
    if (m['execution-group'] !== undefined)
      action.executionGroup = c.str(m['execution-group'], join(path, 'execution-group'));
    out[name] = action;
  }
  return out;
}
