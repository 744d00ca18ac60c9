/**
 * `node:util` `parseArgs` as both of charm-sim's command lines use it (its own verbs and the
 * juju front): strict, positionals allowed, and a negative number taken as a value rather
 * than an option (`scale app -1` is refused by scale itself, `-n -2` by deploy).
 * @module
 */
import { parseArgs } from 'node:util';

/** One option of a command, as `parseArgs` takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Optional: may be given more than once; the values are kept in order. */
  readonly multiple?: boolean;
}

/** Positionals and option values by long name: a string (the last one given), strings, or true. */
export interface ParsedArgv {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
}

// A negative number is hidden from parseArgs behind this prefix, then restored.
const NEGATIVE = '\u0000';

/**
 * Parses `argv` against `options`.
 * @throws parseArgs' own error (its `code` says what is wrong): callers word it their way.
 */
export function parseArgv(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): ParsedArgv {
  const parsed = parseArgs({
    args: argv.map((arg) => (/^-\d/.test(arg) ? `${NEGATIVE}${arg}` : arg)),
    options,
    allowPositionals: true,
    strict: true,
  });
  const restore = (value: string) => (value.startsWith(NEGATIVE) ? value.slice(1) : value);
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    values[name] =
      typeof value === 'string'
        ? restore(value)
        : Array.isArray(value)
          ? value.map((v) => restore(String(v)))
          : value;
  }
  return { positionals: parsed.positionals.map(restore), values };
}
