/**
 * Custom events: a library's own event (`ready` of `ingress-requirer[ingress]`) that a test
 * emits in place of a Juju event. Its payload names State relations and secrets, which become
 * the references the runtime rebuilds into `Relation`s and `Secret`s (as for a deferred event).
 * @module
 */
import type { Relation, Secret } from '@charm-ts/ops';
import { InconsistentStateError } from '../errors.ts';
import type { AnyRelation, SecretState, State } from '../state/types.ts';

/** A library event to emit, as an EventSpec carries it. */
export interface CustomEventSpec {
  /** `<namespace>/<event>`, e.g. `ingress-requirer[ingress]/ready`. */
  readonly event: string;
  /** The payload, with State relations and secrets where the event has Relations and Secrets. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A payload as a test writes it: State relations and secrets stand for the runtime's objects. */
export type CustomPayload<P> = {
  readonly [K in keyof P]: P[K] extends Relation
    ? AnyRelation
    : P[K] extends Secret
      ? SecretState
      : P[K] extends Relation | undefined
        ? AnyRelation | undefined
        : P[K];
};

function isRelation(value: object): value is AnyRelation {
  const v = value as Partial<AnyRelation>;
  return typeof v.endpoint === 'string' && typeof v.id === 'number' && 'localUnitData' in v;
}

function isSecret(value: object): value is SecretState {
  const v = value as Partial<SecretState>;
  return typeof v.id === 'string' && typeof v.revisions === 'object' && 'grants' in v;
}

function convert(value: unknown, state: State, path: string): unknown {
  const field = `event.payload${path}`;
  if (value === null || ['string', 'boolean', 'number'].includes(typeof value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => convert(v, state, `${path}[${i}]`));
  if (typeof value === 'object' && isRelation(value)) {
    if (!state.relations.some((r) => r.id === value.id)) {
      throw new InconsistentStateError(
        field,
        `relation ${value.endpoint}:${value.id} is not in state.relations`,
      );
    }
    return { $relation: `${value.endpoint}:${value.id}` };
  }
  if (typeof value === 'object' && isSecret(value)) {
    if (!state.secrets.some((s) => s.id === value.id)) {
      throw new InconsistentStateError(field, `${value.id} is not in state.secrets`);
    }
    const id = value.id.startsWith('secret:') ? value.id : `secret:${value.id}`;
    return { $secret: { id, ...(value.label !== undefined && { label: value.label }) } };
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = convert(v, state, `${path}.${k}`);
    }
    return out;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new InconsistentStateError(
    field,
    `is a ${kind}: a custom event's payload holds JSON data, State relations and State secrets`,
  );
}

/**
 * The payload of `spec` as the runtime takes it. Throws InconsistentStateError naming the
 * field for a relation or secret not in the State, or a value that is not JSON data.
 */
export function customEventData(
  spec: CustomEventSpec,
  state: State,
): Readonly<Record<string, unknown>> {
  return convert(spec.payload, state, '') as Record<string, unknown>;
}
