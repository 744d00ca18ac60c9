/**
 * Output formats of Juju's hook tools: `smart` (the default for most), `yaml` and `json`.
 * @module
 */
import { stringify } from 'yaml';
import { ToolError } from './args.ts';

/** The formats a tool accepts. */
export type Format = 'smart' | 'yaml' | 'json';

/**
 * Renders `value` the way juju/cmd does for `format`.
 * @throws ToolError exit 2 for a format the tool does not offer.
 */
export function render(
  value: unknown,
  format: string | boolean | undefined,
  allowed: readonly Format[] = ['smart', 'yaml', 'json'],
): string {
  const chosen = (typeof format === 'string' ? format : allowed[0]) as Format;
  if (!allowed.includes(chosen)) {
    throw new ToolError(2, `invalid value "${chosen}" for option --format: unknown format`);
  }
  if (chosen === 'json') return `${JSON.stringify(value ?? null)}\n`;
  if (chosen === 'yaml') return value === undefined ? '' : stringify(value);
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'string') return `${value}\n`;
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (typeof value === 'number') return `${value}\n`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length ? `${value.join('\n')}\n` : '';
  }
  return stringify(value);
}
