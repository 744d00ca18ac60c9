/**
 * Reading JSON-encoded bags: decode the keys an interface knows (others are ignored, as the
 * libraries ignore them), then check each value's type, each failure naming its bag and key.
 * @module
 */
import type { DataBag } from './bag.ts';
import { RelationDataError, shown } from './errors.ts';

/** Which interface and bag a reader works on, for its errors. */
export interface BagRef {
  readonly iface: string;
  readonly bag: string;
}

/**
 * The JSON values of the `keys` present in `bag`. Throws `RelationDataError` `NOT_JSON`
 * naming the first key whose value is not JSON.
 */
export function decodeKeys(
  bag: DataBag,
  keys: readonly string[],
  ref: BagRef,
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const key of keys) {
    const raw = bag[key];
    if (raw === undefined) continue;
    try {
      values.set(key, JSON.parse(raw));
    } catch (cause) {
      throw new RelationDataError('NOT_JSON', `is not JSON: ${shown(raw)}`, { ...ref, key, cause });
    }
  }
  return values;
}

/** Checks one decoded value; each throws `RelationDataError` naming `key`. */
export class ValueReader {
  readonly #values: Map<string, unknown>;
  readonly #ref: BagRef;

  constructor(values: Map<string, unknown>, ref: BagRef) {
    this.#values = values;
    this.#ref = ref;
  }

  /** A string that must be there. */
  string(key: string): string {
    const value = this.#required(key);
    if (typeof value !== 'string') throw this.#bad(key, 'must be a string', value);
    return value;
  }

  /** An integer in `[min, max]` that must be there. */
  integer(key: string, min: number, max: number): number {
    const value = this.#required(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw this.#bad(key, `must be an integer from ${min} to ${max}`, value);
    }
    return value;
  }

  /** A boolean, `fallback` when absent or null. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.#values.get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw this.#bad(key, 'must be true or false', value);
    return value;
  }

  /** A string, or undefined when absent or null. */
  optionalString(key: string): string | undefined {
    const value = this.#values.get(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.#bad(key, 'must be a string', value);
    return value;
  }

  /** An integer, or undefined when absent or null. */
  optionalInteger(key: string): number | undefined {
    const value = this.#values.get(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw this.#bad(key, 'must be an integer', value);
    }
    return value;
  }

  /** A RelationDataError `BAD_VALUE` about `key`. */
  #bad(key: string, problem: string, value: unknown): RelationDataError {
    return new RelationDataError('BAD_VALUE', `${problem}, not ${shown(value)}`, {
      ...this.#ref,
      key,
    });
  }

  #required(key: string): unknown {
    if (!this.#values.has(key)) {
      throw new RelationDataError('MISSING_KEY', 'is missing', { ...this.#ref, key });
    }
    return this.#values.get(key);
  }
}
