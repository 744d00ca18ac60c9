/**
 * Output formats of Juju's hook tools: `smart` (the default for most), `yaml` and `json`.
 * @module
 */

import { usageError } from '@charm-ts/juju-model';
import { stringify } from 'yaml';

/** The formats a tool accepts. */
export type Format = 'smart' | 'yaml' | 'json';

/**
 * Renders `value` the way juju/cmd does for `format`.
 * @throws JujuError exit 2 for a format the tool does not offer.
 */
export function render(
  value: unknown,
  format: string | boolean | undefined,
  allowed: readonly Format[] = ['smart', 'yaml', 'json'],
): string {
  const chosen = (typeof format === 'string' ? format : allowed[0]) as Format;
  if (!allowed.includes(chosen)) {
    throw usageError(`invalid value "${chosen}" for option --format: unknown format`);
  }
  // Go marshals maps with sorted keys, in JSON and YAML alike.
  if (chosen === 'json') return `${JSON.stringify(sortKeys(value ?? null))}\n`;
  if (chosen === 'yaml')
    return value === undefined ? '' : stringify(value, { sortMapEntries: true });
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'string') return `${value}\n`;
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (typeof value === 'number') return `${value}\n`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length ? `${value.join('\n')}\n` : '';
  }
  return stringify(value, { sortMapEntries: true });
}

/** A copy of `value` whose objects have their keys in sorted order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
