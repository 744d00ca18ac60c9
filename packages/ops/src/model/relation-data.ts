/**
 * Typed relation data: load a bag through a schema, save a value into one. Values are
 * JSON-encoded per key, as the charm libraries write them (`ingress` → `{"url": …}`).
 *
 * The schema is any Standard Schema (https://standardschema.dev): valibot, zod, arktype all
 * implement it, so @charm-ts/ops depends on none of them and a charm that uses no schema loads
 * none. The README says which was measured and recommended (valibot: `bench/schema`).
 * @module
 */
import { RelationDataError } from '../errors.ts';

/** The part of the Standard Schema v1 interface this codec uses (structurally compatible). */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A Standard Schema validation result. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: readonly {
        readonly message: string;
        readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
      }[];
    };

/** The output type of a schema. */
export type SchemaOutput<S extends StandardSchema> = NonNullable<S['~standard']['types']>['output'];

/** Options of `Relation.load`. */
export interface LoadOptions {
  /**
   * Optional: decodes one value. Default `JSON.parse` (how the charm libraries write values).
   * Use `(v) => v` for a bag of plain strings (data_interfaces writes `username` raw).
   */
  decode?: (value: string, key: string) => unknown;
}

/** Options of `Relation.save`. */
export interface SaveOptions<S extends StandardSchema = StandardSchema> {
  /** Optional: checks the value first; nothing is written when it fails. */
  schema?: S;
  /** Optional: encodes one value. Default `JSON.stringify`; `undefined` deletes the key. */
  encode?: (value: unknown, key: string) => string;
}

/** Decodes `bag` and validates it against `schema`. Throws `RelationDataError` naming the key. */
export async function decodeBag<S extends StandardSchema>(
  bag: Readonly<Record<string, string>>,
  schema: S,
  where: string,
  options: LoadOptions = {},
): Promise<SchemaOutput<S>> {
  const decode = options.decode ?? ((v: string) => JSON.parse(v) as unknown);
  const data: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(bag)) {
    try {
      data[key] = decode(text, key);
    } catch (err) {
      // Neither the value nor the parser's message (which quotes it) goes in the error:
      // relation data can hold credentials.
      const why = options.decode
        ? `the decode option threw ${(err as Error).name ?? 'an error'}`
        : 'it is not JSON';
      throw new RelationDataError(`${where}: key '${key}' cannot be decoded: ${why}`, where, key);
    }
  }
  return validate(schema, data, where);
}

/** Validates (when a schema is given) and encodes `value` into a bag of strings. */
export async function encodeBag(
  value: Record<string, unknown>,
  where: string,
  options: SaveOptions = {},
): Promise<Record<string, string>> {
  const checked = (options.schema ? await validate(options.schema, value, where) : value) as Record<
    string,
    unknown
  >;
  const encode = options.encode ?? ((v: unknown) => JSON.stringify(v));
  const bag: Record<string, string> = {};
  for (const [key, v] of Object.entries(checked)) {
    if (v === undefined) {
      bag[key] = '';
      continue;
    }
    const text = encode(v, key);
    if (typeof text !== 'string') {
      throw new RelationDataError(`${where}: key '${key}' does not encode to a string`, where, key);
    }
    bag[key] = text;
  }
  return bag;
}

async function validate<S extends StandardSchema>(
  schema: S,
  data: unknown,
  where: string,
): Promise<SchemaOutput<S>> {
  const result = await schema['~standard'].validate(data);
  if (!result.issues) return result.value as SchemaOutput<S>;
  const [first] = result.issues;
  const path = (first?.path ?? []).map((p) =>
    String(typeof p === 'object' && p !== null && 'key' in p ? p.key : p),
  );
  const key = path[0] ?? '';
  const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
  // valibot ends a message with the value it got (`Invalid URL: Received "…"`): relation data
  // can hold credentials, so that part stays out.
  const message = (first?.message ?? 'invalid').replace(/: Received [\s\S]*$/, '');
  throw new RelationDataError(
    `${where}: ${path.length > 0 ? `key '${path.join('.')}'` : 'the bag'}: ${message}${more}`,
    where,
    key,
  );
}
