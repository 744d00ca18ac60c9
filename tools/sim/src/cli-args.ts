/**
 * Command-line parsing for `charm-sim`: positional arguments, repeatable `--flag value`
 * options and durations (`90s`, `5m`).
 * @module
 */
import { SimError } from './errors.ts';

/** Parsed command line. */
export interface CliArgs {
  readonly command: string | undefined;
  readonly positional: string[];
  readonly options: Record<string, string[]>;
  readonly help: boolean;
}

const VALUED = new Set([
  'state-dir',
  'hook-timeout',
  'config',
  'resource',
  'n',
  'num-units',
  'format',
  'include',
  'lines',
  'level',
  'for',
  'update-status-interval',
  'reset',
  'path',
]);

/**
 * Splits argv into command, positionals and options.
 * @throws SimError `BAD_ARGUMENT` for an unknown option or one missing its value.
 */
export function parseCli(argv: readonly string[]): CliArgs {
  const positional: string[] = [];
  const options: Record<string, string[]> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    // A negative number is a value, not an option: `scale app -1` is refused by scale itself.
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (name === 'force') {
      options.force = ['true'];
      continue;
    }
    if (!VALUED.has(name)) {
      throw new SimError('BAD_ARGUMENT', `unknown option ${arg}: see charm-sim --help`);
    }
    const value = eq >= 0 ? body.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new SimError('BAD_ARGUMENT', `option ${arg} needs a value`);
    options[name] = [...(options[name] ?? []), value];
  }
  const [command, ...rest] = positional;
  return { command, positional: rest, options, help };
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
