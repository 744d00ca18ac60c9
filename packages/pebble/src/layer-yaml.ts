/**
 * Layer ⇄ YAML. Serialisation never drops a falsy value (`user-id: 0`, `environment: {A: ''}`,
 * `startup: ''`); only `undefined` and `null` are left out. Strings that YAML 1.1 readers
 * (Go's yaml.v3) could take for something else (`yes`, `on`, `1:20`) are quoted.
 * @module
 */
import { parse, stringify } from 'yaml';
import { LayerValidationError } from './errors.ts';
import { validateLayer } from './layer-validate.ts';
import type { Layer } from './types.ts';

function dropNullish(value: unknown): unknown {
  if (Array.isArray(value))
    return value.filter((v) => v !== undefined && v !== null).map(dropNullish);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined && v !== null) out[k] = dropNullish(v);
    }
    return out;
  }
  return value;
}

/** Writes a layer as YAML, keeping every value except `undefined` and `null`. */
export function layerToYaml(layer: Layer): string {
  return stringify(dropNullish(layer), { version: '1.1', lineWidth: 0 });
}

/**
 * Parses and validates a layer written in YAML.
 * @throws LayerValidationError for YAML that does not parse, or a layer Pebble would refuse.
 */
export function parseLayer(text: string, label?: string): Layer {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new LayerValidationError('layer', `cannot parse YAML: ${(error as Error).message}`);
  }
  return validateLayer(value ?? {}, label);
}
