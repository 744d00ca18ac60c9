/**
 * Flag parsing the way Juju's hook tools do it (gnuflag, interspersed): `--name=value`,
 * `--name value`, `-r value`, boolean flags that accept `=false`, `--` ends flags.
 * @module
 */

import { usageError } from '@charm-ts/juju-model';

/** One flag a tool accepts. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `app`. */
  readonly name: string;
  /** Other spellings, e.g. `['r']` or `['application']`. */
  readonly aliases?: readonly string[];
  readonly bool?: boolean;
}

/** Parsed flags (by canonical name) and positional arguments. */
export interface ParsedArgs {
  readonly flags: Record<string, string | boolean>;
  readonly positional: string[];
}

/** A string flag's value, or undefined when it is absent (or given as a boolean). */
export function stringFlag(flags: ParsedArgs['flags'], name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Refuses arguments beyond the `count` a tool takes, as juju/cmd's `CheckEmpty` does.
 * @throws JujuError exit 2 `unrecognized args: ["x" "y"]`.
 */
export function checkEmpty(positional: readonly string[], count: number): void {
  const extra = positional.slice(count);
  if (extra.length > 0) {
    throw usageError(`unrecognized args: [${extra.map((a) => JSON.stringify(a)).join(' ')}]`);
  }
}

/** The `--format` and `-o/--output` flags most tools share. */
export const FORMAT_FLAGS: FlagSpec[] = [{ name: 'format' }, { name: 'output', aliases: ['o'] }];

/**
 * Parses `args` against `specs`.
 * @throws JujuError exit 2 `flag provided but not defined: -x` for an unknown flag, or when a
 * value is missing or a boolean is not one.
 */
export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) {
    byName.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) byName.set(alias, spec);
  }
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) throw usageError(`flag provided but not defined: ${arg.split('=')[0]}`);
    if (spec.bool) {
      if (eq < 0) flags[spec.name] = true;
      else {
        const value = body.slice(eq + 1).toLowerCase();
        if (!['true', 'false', '1', '0', 't', 'f'].includes(value)) {
          throw usageError(`invalid boolean value "${body.slice(eq + 1)}" for -${name}`);
        }
        flags[spec.name] = ['true', '1', 't'].includes(value);
      }
      continue;
    }
    if (eq >= 0) flags[spec.name] = body.slice(eq + 1);
    else {
      const value = args[i + 1];
      if (value === undefined) throw usageError(`flag needs an argument: ${arg}`);
      flags[spec.name] = value;
      i++;
    }
  }
  return { flags, positional };
}

/** Parses `key=value` arguments; an empty value is kept (it means "delete" for settings). */
export function parseKeyValues(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw usageError(`expected "key=value", got "${arg}"`);
    out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return out;
}
