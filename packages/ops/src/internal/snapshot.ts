/**
 * A deferred library event keeps its payload in the charm's state as JSON: `Relation`s and
 * `Secret`s become references (`{"$relation":"ingress:3"}`) and are rebuilt on redelivery.
 * @module
 */
import { FrameworkError } from '../errors.ts';
import type { Model } from '../model/model.ts';
import { Relation } from '../model/relation.ts';
import { Secret } from '../model/secret.ts';

/**
 * The payload as JSON data. Throws `FrameworkError` naming the first field that is neither JSON
 * data nor a `Relation` or `Secret` (a function, a class instance, a Map, `undefined` in an array).
 */
export function snapshot(value: unknown, what: string, path = ''): unknown {
  if (value instanceof Relation) return { $relation: `${value.endpoint}:${value.id}` };
  if (value instanceof Secret) return { $secret: { id: value.id, label: value.label } };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => snapshot(v, what, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = snapshot(v, what, path ? `${path}.${k}` : k);
    }
    return out;
  }
  const shown = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new FrameworkError(
    `cannot defer ${what}: its payload field '${path || '(the payload)'}' is a ${shown}, not JSON data, a Relation or a Secret`,
  );
}

/** Rebuilds a payload `snapshot` made, against this dispatch's model. */
export function restore(value: unknown, model: Model): unknown {
  if (Array.isArray(value)) return value.map((v) => restore(v, model));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.$relation === 'string') {
    const ref = record.$relation;
    const at = ref.lastIndexOf(':');
    return model.getRelation(ref.slice(0, at), Number(ref.slice(at + 1)));
  }
  if (keys.length === 1 && record.$secret && typeof record.$secret === 'object') {
    const { id, label } = record.$secret as { id?: string; label?: string };
    return model.getSecret({ ...(id && { id }), ...(label && { label }) });
  }
  return Object.fromEntries(keys.map((k) => [k, restore(record[k], model)]));
}
