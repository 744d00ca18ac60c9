/**
 * Command-line parsing for `charm-sim`, on `node:util` `parseArgs` as charm-pack and
 * charm-typegen do: the options every command takes and each command's own (see
 * cli-commands.ts), and the values given on the command line (unit counts, durations,
 * `key=value` pairs).
 * @module
 */
import { parse } from 'yaml';
import { type OptionSpec, type ParsedArgv, parseArgv } from './argv.ts';
import { SimError } from './errors.ts';

export type { OptionSpec } from './argv.ts';

/** The options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'state-dir': { type: 'string' },
  'hook-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** A parsed command line. */
export interface CommandLine {
  /** The first positional argument. */
  readonly command: string | undefined;
  /** The positional arguments after the command. */
  readonly positionals: readonly string[];
  /** Option values by long name: a string (the last one given), strings, or true. */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly help: boolean;
}

/**
 * Parses `argv` against the global options and `options` (every command's, together).
 * @throws SimError `BAD_ARGUMENT` for an unknown option, one missing its value, or a value
 * given to a flag.
 */
export function parseCommandLine(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): CommandLine {
  let parsed: ParsedArgv;
  try {
    parsed = parseArgv(argv, { ...GLOBAL_OPTIONS, ...options });
  } catch (error) {
    throw usageError(error, argv);
  }
  const { values } = parsed;
  const [command, ...positionals] = parsed.positionals;
  return { command, positionals, values, help: values.help === true };
}

/**
 * Checks that `line` uses only the global options and `allowed`.
 * @throws SimError `BAD_ARGUMENT` naming the first option the command does not take.
 */
export function checkOptions(
  line: CommandLine,
  allowed: Readonly<Record<string, OptionSpec>>,
): void {
  for (const name of Object.keys(line.values)) {
    if (!(name in GLOBAL_OPTIONS) && !(name in allowed)) {
      throw new SimError(
        'BAD_ARGUMENT',
        `unknown option --${name} for ${line.command}: see charm-sim --help`,
      );
    }
  }
}

/** `parseArgs`' errors as one line in charm-sim's words, naming the option as typed. */
function usageError(error: unknown, argv: readonly string[]): SimError {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  // "-n, --num-units <value>": the spelling the user typed, else the long one.
  const spellings = quoted.replace(/ <value>$/, '').split(', ');
  const typed = spellings.find((s) => argv.some((a) => a === s || a.startsWith(`${s}=`)));
  const option = typed ?? spellings.at(-1) ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new SimError('BAD_ARGUMENT', `unknown option ${option}: see charm-sim --help`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message)
        ? new SimError('BAD_ARGUMENT', `option ${option} takes no value`)
        : new SimError('BAD_ARGUMENT', `option ${option} needs a value`);
    default:
      return new SimError('BAD_ARGUMENT', `${message}: see charm-sim --help`);
  }
}

/**
 * Parses a number of units given on the command line (`scale APP N`, `deploy -n N`).
 * @throws SimError `BAD_ARGUMENT` naming `what` unless it is a whole number ≥ 0.
 */
export function parseUnitCount(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) {
    throw new SimError(
      'BAD_ARGUMENT',
      `${what} expects a whole number ≥ 0 of units, got "${text}"`,
    );
  }
  return Number(text);
}

/**
 * Parses a duration: `500ms`, `30s`, `5m`, `1h`, or plain seconds.
 * @throws SimError `BAD_ARGUMENT` for anything else.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new SimError('BAD_ARGUMENT', `invalid duration "${text}": use e.g. 30s, 5m, 500ms`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] as number;
  return Number(match[1]) * unit;
}

/**
 * Parses action parameters given on the command line (`key=value`, the value read as YAML).
 * @throws SimError `BAD_ARGUMENT` for an argument without `=` or with an empty key.
 */
export function parseActionArgs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SimError('BAD_ARGUMENT', `expected key=value, got "${pair}"`);
    out[pair.slice(0, eq)] = parse(pair.slice(eq + 1));
  }
  return out;
}

/**
 * Parses `--resource name=path` values.
 * @throws SimError `BAD_ARGUMENT` for a value without `name=`.
 */
export function parseResources(values: readonly string[]): Record<string, string> {
  const resources: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) {
      throw new SimError('BAD_ARGUMENT', `--resource expects name=path, got "${value}"`);
    }
    resources[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return resources;
}
