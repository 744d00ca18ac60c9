/**
 * Command-line parsing for the juju front, on `node:util` `parseArgs`, with the flags every
 * juju command takes and Juju's words for what is wrong (`option provided but not defined:
 * --foo`, exit 2).
 * @module
 */
import { parseGoDuration } from '@charm-ts/pebble';
import { type OptionSpec, type ParsedArgv, parseArgv } from '../argv.ts';

export type { OptionSpec } from '../argv.ts';

import { usageError } from './errors.ts';

/** The flags every juju command takes (`--model` only where a model is used). */
export const COMMON_FLAGS: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'show-log': { type: 'boolean' },
  'no-browser-login': { type: 'boolean', short: 'B' },
};

/** `-m`/`--model`, taken by every command that works on a model. */
export const MODEL_FLAG: Readonly<Record<string, OptionSpec>> = {
  model: { type: 'string', short: 'm' },
};

/** A parsed juju command line. */
export interface JujuArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

/**
 * Parses `argv` (after the command's name) against the common flags and `flags`.
 * @throws JujuError (exit 2) for an unknown flag, one missing its value, or a value given to a
 * boolean flag.
 */
export function parseJujuArgs(
  argv: readonly string[],
  flags: Readonly<Record<string, OptionSpec>>,
): JujuArgs {
  let parsed: ParsedArgv;
  try {
    parsed = parseArgv(argv, { ...COMMON_FLAGS, ...flags });
  } catch (error) {
    throw flagError(error, argv);
  }
  return parsed;
}

/** parseArgs' errors in gnuflag's words, naming the flag as typed. */
function flagError(error: unknown, argv: readonly string[]) {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const spellings = quoted.replace(/ <value>$/, '').split(', ');
  const typed = spellings.find((s) => argv.some((a) => a === s || a.startsWith(`${s}=`)));
  const flag = typed ?? spellings.at(-1) ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(`option provided but not defined: ${flag}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message)
        ? usageError(`flag ${flag} takes no value`)
        : usageError(`option needs an argument: ${flag}`);
    default:
      return usageError(message);
  }
}

/** The value of a string flag (the last one given). */
export function flag(args: JujuArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The values of a repeatable flag. */
export function flags(args: JujuArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/** Whether a boolean flag was given. */
export function isSet(args: JujuArgs, name: string): boolean {
  return args.values[name] === true;
}

/**
 * The output format: `--format`, checked against `allowed`, else `fallback`.
 * @throws JujuError (exit 2) for another format.
 */
export function outputFormat<T extends string>(
  args: JujuArgs,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = flag(args, 'format') ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw usageError(`invalid value "${value}" for option --format: unknown format "${value}"`);
  }
  return value as T;
}

/**
 * A Go duration given on the command line (`--wait 60s`, `1m30s`, `0.5s`), in milliseconds.
 * @throws JujuError (exit 2) when it is not one.
 */
export function durationFlag(args: JujuArgs, name: string, fallbackMs: number): number {
  const text = flag(args, name);
  if (text === undefined) return fallbackMs;
  const ns = parseGoDuration(text);
  if (ns === undefined) {
    throw usageError(
      `invalid value "${text}" for option --${name}: time: invalid duration "${text}"`,
    );
  }
  return Number(ns / 1_000_000n);
}

/**
 * Checks that no more than `max` positional arguments were given.
 * @throws JujuError (exit 2) naming the extra ones, as Juju does.
 */
export function noMoreThan(args: JujuArgs, max: number): void {
  const extra = args.positionals.slice(max);
  if (extra.length) throw usageError(`unrecognized args: ${JSON.stringify(extra)}`);
}
