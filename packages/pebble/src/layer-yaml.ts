/**
 * Layer ⇄ YAML. Serialisation never drops a falsy value (`user-id: 0`, `environment: {A: ''}`,
 * `startup: ''`); only `undefined` and `null` are left out. Strings that YAML 1.1 readers
 * (Go's yaml.v3) could take for something else (`yes`, `on`, `1:20`) are quoted.
 * @module
 */
import { LayerValidationError } from './errors.ts';
import {
  checkKeys,
  checkTypeKeys,
  type Kind,
  logTargetKeys,
  serviceKeys,
  workloadKeys,
} from './internal/layer-schema.ts';
import { loadYaml } from './internal/yaml.ts';
import { validateLayer } from './layer-validate.ts';
import type { Layer } from './types.ts';

/** The layer without its `undefined` and `null` values (at any depth); falsy values stay. */
export function dropNullish(value: unknown): unknown {
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
  return loadYaml().stringify(dropNullish(layer), { version: '1.1', lineWidth: 0 });
}

const intRe = /^[-+]?(?:0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+)$/;
const floatRe = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** Turns the scalar text of the integer and float keys back into numbers, as Go decodes them. */
function coerceNumbers(entry: unknown, keys: Record<string, Kind>): void {
  if (typeof entry !== 'object' || entry === null) return;
  const record = entry as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    const kind = keys[key];
    if (kind === 'http' || kind === 'tcp' || kind === 'exec') {
      coerceNumbers(value, checkTypeKeys[kind]);
    } else if (typeof value === 'string') {
      const text = value.replace(/^\+/, '');
      if (kind === 'int' && intRe.test(value)) {
        record[key] = text.startsWith('-') ? -Number(text.slice(1)) : Number(text);
      } else if (kind === 'factor' && floatRe.test(value)) {
        record[key] = Number(text);
      }
    }
  }
}

const sections: ReadonlyArray<[string, Record<string, Kind>]> = [
  ['services', serviceKeys],
  ['checks', checkKeys],
  ['log-targets', logTargetKeys],
  ['workloads', workloadKeys],
];

/** Every number and boolean as its JSON text, at any depth (objects and arrays copied). */
function scalarsAsText(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(scalarsAsText);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scalarsAsText(v);
    return out;
  }
  return value;
}

/** Turns the integer and float keys of every entry back into numbers, as Go decodes them. */
function coerceSections(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [section, keys] of sections) {
    const entries = (value as Record<string, unknown>)[section];
    if (typeof entries !== 'object' || entries === null) continue;
    for (const entry of Object.values(entries)) coerceNumbers(entry, keys);
  }
}

/**
 * A layer object as Pebble reads it when the client sends it (as JSON text, which is YAML): a
 * number or boolean where Pebble wants a string (an `environment` value) becomes its text, the
 * numeric keys stay numbers. The same result as `parseLayer(JSON.stringify(layer))`, without a
 * YAML parser: the in-memory Pebble takes layer objects this way.
 * @throws LayerValidationError for a layer Pebble would refuse.
 */
export function normalizeLayer(layer: Layer, label?: string): Layer {
  const value = scalarsAsText(dropNullish(layer));
  coerceSections(value);
  return validateLayer(value, label);
}

/**
 * Parses and validates a layer written in YAML, reading scalars as Pebble (Go) does: a plain
 * `8080` or `true` where Pebble wants a string (an `environment` value, a `summary`) is kept as
 * the text written, not turned into a number or boolean.
 * @throws LayerValidationError for YAML that does not parse, or a layer Pebble would refuse.
 */
export function parseLayer(text: string, label?: string): Layer {
  const { isScalar, parseDocument, visit } = loadYaml();
  const doc = parseDocument(text);
  const [problem] = doc.errors;
  if (problem) throw new LayerValidationError('layer', `cannot parse YAML: ${problem.message}`);
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node)) return;
      if ((typeof node.value === 'number' || typeof node.value === 'boolean') && node.range) {
        node.value = text.slice(node.range[0], node.range[1]);
      }
    },
  });
  const value: unknown = doc.toJS() ?? {};
  coerceSections(value);
  return validateLayer(value, label);
}
