/**
 * The model's debug log (`debug.log` in the state directory): one line per hook log entry,
 * tagged with the unit, as `juju debug-log` shows them; kept private, since what a charm
 * prints may hold secrets.
 * @module
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimError } from './errors.ts';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** Appends one line for `unit` (`app/0`). */
export function appendDebugLog(
  stateDir: string,
  unit: string,
  level: string,
  message: string,
): void {
  const time = new Date().toISOString().slice(11, 19);
  // Hook output may carry what a charm prints, secrets included: owner only.
  appendFileSync(
    join(stateDir, 'debug.log'),
    `unit-${unit.replace('/', '-')}: ${time} ${level} ${message}\n`,
    { mode: 0o600 },
  );
}

/** Options for {@link readDebugLog}. */
export interface DebugLogOptions {
  /** Optional: only this application's (`app`) or unit's (`app/0`) lines. */
  readonly include?: string;
  /** Optional: only the last this many lines. */
  readonly lines?: number;
  /** Optional: only lines at this level or above (`INFO`, `warning`, …). */
  readonly level?: string;
}

/**
 * The debug log: every unit's, or one app's or unit's (`include`), from `level` up, the last
 * `lines` of it.
 * @throws SimError `BAD_ARGUMENT` for an unknown level.
 */
export function readDebugLog(stateDir: string, options: DebugLogOptions = {}): string {
  const file = join(stateDir, 'debug.log');
  if (!existsSync(file)) return '';
  let lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  if (options.include) {
    const unit = options.include.includes('/')
      ? options.include.replace('/', '-')
      : `${options.include}-\\d+`;
    const tag = new RegExp(`^unit-${unit}: `);
    lines = lines.filter((l) => tag.test(l));
  }
  if (options.level) {
    const min = LEVELS.indexOf(options.level.toUpperCase());
    if (min < 0) {
      throw new SimError(
        'BAD_ARGUMENT',
        `unknown level "${options.level}": use ${LEVELS.join(', ')}`,
      );
    }
    lines = lines.filter((l) => LEVELS.indexOf(l.split(' ')[2] ?? '') >= min);
  }
  if (options.lines !== undefined) lines = lines.slice(-options.lines);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
