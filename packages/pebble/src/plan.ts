/**
 * Layers and the plan: `POST /v1/layers`, `GET /v1/plan?format=yaml`.
 * @module
 */
import { ProtocolError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import { loadYaml } from './internal/yaml.ts';
import { validateLayer } from './layer-validate.ts';
import { dropNullish, parseLayer } from './layer-yaml.ts';
import type { AddLayerOptions, Layer, Plan, RequestOptions } from './types.ts';

/**
 * Adds the layer `label` (a layer object or YAML text), or with `combine` merges it into the
 * existing layer of that label. The layer is validated first; YAML text is sent as written, a
 * layer object as JSON text (which Pebble reads as YAML).
 * Adding a layer starts nothing: call `replanServices` afterwards.
 * @throws LayerValidationError before sending anything Pebble would refuse; APIError (400)
 *   when Pebble refuses it (e.g. `layer "x" already exists` without `combine`); ConnectionError.
 */
export async function addLayer(
  rq: Requester,
  label: string,
  layer: Layer | string,
  options: AddLayerOptions = {},
): Promise<void> {
  let text: string;
  if (typeof layer === 'string') {
    parseLayer(layer, label);
    text = layer;
  } else {
    // JSON is YAML: Pebble (Go's yaml.v3) reads it, every string stays a quoted string, and no
    // YAML library is loaded on a charm's hook path.
    text = JSON.stringify(dropNullish(validateLayer(layer, label)));
  }
  await rq.sync({
    method: 'POST',
    path: '/v1/layers',
    body: {
      action: 'add',
      combine: options.combine ?? false,
      inner: options.inner ?? false,
      label,
      format: 'yaml',
      layer: text,
    },
    signal: options.signal,
  });
}

/**
 * Parses the plan YAML Pebble serves into a typed `Plan` (`services`, `checks` and
 * `log-targets` always present).
 * @throws ProtocolError when the text is not a YAML mapping.
 */
export function parsePlan(text: string): Plan {
  let value: unknown;
  try {
    value = loadYaml().parse(text);
  } catch (error) {
    throw new ProtocolError(
      `cannot read the plan: bad YAML from Pebble: ${(error as Error).message}`,
    );
  }
  value ??= {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError('cannot read the plan: Pebble did not send a YAML mapping');
  }
  const plan = value as Partial<Plan>;
  return {
    ...plan,
    services: plan.services ?? {},
    checks: plan.checks ?? {},
    'log-targets': plan['log-targets'] ?? {},
  };
}

/**
 * `GET /v1/plan?format=yaml`: the combined plan (admin-only since Pebble 1.28).
 * @throws APIError (401 for a non-admin caller); ProtocolError; ConnectionError.
 */
export async function getPlan(rq: Requester, options: RequestOptions = {}): Promise<Plan> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/plan',
    query: { format: 'yaml' },
    signal: options.signal,
  });
  if (typeof result !== 'string') {
    throw new ProtocolError('cannot read the plan: Pebble did not send YAML text');
  }
  return parsePlan(result);
}
