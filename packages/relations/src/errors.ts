/**
 * The one error of @charm-ts/relations: a data bag that cannot be read (or a value that cannot
 * be written), naming the interface, the bag and the key.
 * @module
 */

const BRAND = Symbol.for('charm-ts.relations.RelationDataError');

/** Stable codes of {@link RelationDataError}. */
export type RelationDataErrorCode =
  /** A value is not JSON where the interface says every value is JSON-encoded. */
  | 'NOT_JSON'
  /** A key the interface requires is absent. */
  | 'MISSING_KEY'
  /** A value has the wrong type or is out of range. */
  | 'BAD_VALUE';

/** Where the bad data sits: `bag` names the side and scope, `key` the key in it. */
export interface RelationDataErrorOptions {
  /** Required: the interface, e.g. `ingress`. */
  readonly iface: string;
  /** Required: which bag, e.g. `provider application bag`. */
  readonly bag: string;
  /** Required: the key, e.g. `port` (for a nested value: `healthcheck_params.path`). */
  readonly key: string;
  readonly cause?: unknown;
}

/**
 * A relation data bag does not follow its interface. `message` reads
 * `ingress: provider application bag, key 'ingress': …`; the value shown is cut to 80
 * characters. Branch on `code`, `bag` and `key`, never on the message.
 */
export class RelationDataError extends Error {
  readonly code: RelationDataErrorCode;
  /** The interface, e.g. `ingress`. */
  readonly iface: string;
  /** Which bag, e.g. `requirer unit bag`. */
  readonly bag: string;
  /** The key at fault. */
  readonly key: string;
  /** What is wrong with it, without the interface, bag and key (`must be an http or https URL …`). */
  readonly problem: string;
  readonly [BRAND] = true;

  constructor(code: RelationDataErrorCode, problem: string, options: RelationDataErrorOptions) {
    super(
      `${options.iface}: ${options.bag}, key '${options.key}': ${problem}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'RelationDataError';
    this.code = code;
    this.iface = options.iface;
    this.bag = options.bag;
    this.key = options.key;
    this.problem = problem;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }
}

/** `value` for a message, as JSON (a string quoted), cut to 80 characters. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
