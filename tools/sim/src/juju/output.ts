/**
 * Writing a command's result as Juju does: `--format json` is one line of JSON (Go's
 * `json.Marshal`), `--format yaml` block YAML.
 * @module
 */
import { stringify } from 'yaml';

/** `value` as JSON or YAML, with a final newline. */
export function formatted(value: unknown, format: 'json' | 'yaml'): string {
  if (format === 'json') return `${JSON.stringify(value)}\n`;
  return stringify(value, { lineWidth: 0 });
}
