/**
 * The one home of Juju's value rules for a charm's metadata: config values (typed, or typed on a
 * command line), the config a unit sees (defaults under what is set), and action parameters
 * against their JSON schema. Pure functions that return a problem in words and leave the error
 * class to the caller: the runtime (`InvalidConfigError`), charmcraft.yaml parsing
 * (`CharmcraftError`), @charm-ts/testing (`InconsistentStateError`) and charm-sim (`SimError`).
 * @module
 */
import type { ActionMeta, ConfigOptionMeta, ConfigOptionType, JsonSchema } from './types.ts';

/** A config value as Juju stores it. */
export type ConfigValue = string | number | boolean;

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * Why `value` is not a valid value of a config option of `type`, or undefined when it is. As
 * Juju's config validation: `int` is a whole number, `float` any number, `secret` a secret URI
 * (`secret:…`) or the empty string.
 */
export function configValueProblem(type: ConfigOptionType, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${shown(value)}`;
    case 'secret':
      // Juju parses it as a URL whose scheme must be `secret`; '' means no secret.
      return typeof value === 'string' && (value === '' || /^secret:/i.test(value))
        ? undefined
        : `expected a secret URI (secret:…), got ${shown(value)}`;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : `expected an integer, got ${shown(value)}`;
    case 'float':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `expected a number, got ${shown(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${shown(value)}`;
  }
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Go's strconv.ParseBool, which Juju uses for `juju config app key=value`.
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * A config value typed on a command line (`juju config app key=value`), parsed as Juju parses it
 * (Go's `strconv`: no spaces, booleans `true`/`false`/`1`/`0`/`t`/`f`), then checked. Returns
 * the value, or Juju's problem text: `option "port" expected int, got "80.5"`.
 */
export function parseConfigValue(
  key: string,
  type: ConfigOptionType,
  raw: string,
): { value: ConfigValue } | { problem: string } {
  const wrong = { problem: `option ${JSON.stringify(key)} expected ${type}, got ${shown(raw)}` };
  switch (type) {
    case 'int':
      return INT.test(raw) ? { value: Number.parseInt(raw, 10) } : wrong;
    case 'float':
      return FLOAT.test(raw) ? { value: Number(raw) } : wrong;
    case 'boolean':
      if (TRUE.includes(raw)) return { value: true };
      if (FALSE.includes(raw)) return { value: false };
      return wrong;
    case 'secret':
      return configValueProblem('secret', raw) ? wrong : { value: raw };
    case 'string':
      return { value: raw };
  }
}

/**
 * The config a unit sees (`config-get`): each declared option's value when set, else its default;
 * options with neither are absent.
 */
export function configWithDefaults(
  options: Readonly<Record<string, Readonly<ConfigOptionMeta>>>,
  settings: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(options)) {
    const value = settings[key];
    if (value !== undefined && value !== null) out[key] = value;
    else if (option.default !== undefined && option.default !== null) out[key] = option.default;
  }
  return out;
}

/** Why action parameters were refused: which parameter, and how. */
export interface ActionParamsProblem {
  /** The parameter concerned. */
  readonly param: string;
  /** `unknown` (not declared, and additionalProperties is false), `missing` (required), `type`. */
  readonly kind: 'unknown' | 'missing' | 'type';
  /** What is wrong, naming the parameter: `missing required parameter "to"`. */
  readonly message: string;
}

const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  null: (v) => v === null,
};

function typeProblem(schema: JsonSchema | undefined, value: unknown): string | undefined {
  const type = schema?.type;
  const types = Array.isArray(type) ? type : [type];
  const known = types.filter((t): t is string => typeof t === 'string' && t in JSON_TYPES);
  if (known.length === 0 || known.some((t) => JSON_TYPES[t]?.(value))) return undefined;
  return known.join(' or ');
}

/**
 * Checks `params` against the action's schema as Juju does before the action reaches the unit
 * (declared types, `required`, `additionalProperties`, whose default is true), and returns them
 * with the schema's defaults applied; or the first problem.
 */
export function checkActionParams(
  action: Readonly<ActionMeta>,
  params: Readonly<Record<string, unknown>>,
): { params: Record<string, unknown> } | { problem: ActionParamsProblem } {
  const schema = action.params ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema)) {
    if ('default' in prop) out[key] = structuredClone(prop.default);
  }
  for (const [key, value] of Object.entries(params)) {
    if (!(key in schema) && action.additionalProperties === false) {
      const known = Object.keys(schema).join(', ') || '(none)';
      const message = `unknown parameter "${key}": known parameters: ${known}`;
      return { problem: { param: key, kind: 'unknown', message } };
    }
    const expected = typeProblem(schema[key], value);
    if (expected) {
      const message = `parameter "${key}" must be ${expected}, got ${shown(value)}`;
      return { problem: { param: key, kind: 'type', message } };
    }
    out[key] = structuredClone(value);
  }
  for (const key of action.required ?? []) {
    if (!(key in out)) {
      const message = `missing required parameter "${key}"`;
      return { problem: { param: key, kind: 'missing', message } };
    }
  }
  return { params: out };
}
