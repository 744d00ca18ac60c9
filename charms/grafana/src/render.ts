/**
 * Deterministic text for Grafana's files: a small YAML writer (block style, every string
 * double-quoted, so no value is ever read as another type) and an INI writer with Grafana's
 * quoting. The same input always gives the same bytes, so "changed?" is a string comparison.
 * @module
 */

/** A value the YAML writer takes (JSON data; `undefined` properties are left out). */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue | undefined };

/**
 * `value` as a YAML document: maps and lists in block style, every string value double-quoted;
 * keys bare when they are plain identifiers YAML cannot read as another type.
 */
export function toYaml(value: YamlValue): string {
  return `${block(value, '').join('\n')}\n`;
}

function block(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return ['[]'];
    const lines: string[] = [];
    for (const item of value as readonly YamlValue[]) {
      const inner = isCollection(item) ? block(item, `${indent}  `) : [scalar(item)];
      if (isCollection(item) && !isEmpty(item)) {
        // The first line of a nested block sits after the dash.
        lines.push(`${indent}- ${(inner[0] as string).trimStart()}`, ...inner.slice(1));
      } else {
        lines.push(`${indent}- ${inner[0]}`);
      }
    }
    return lines;
  }
  if (isMap(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined) as [
      string,
      YamlValue,
    ][];
    if (entries.length === 0) return ['{}'];
    const lines: string[] = [];
    for (const [key, item] of entries) {
      if (isCollection(item) && !isEmpty(item)) {
        lines.push(`${indent}${yamlKey(key)}:`, ...block(item, `${indent}  `));
      } else {
        lines.push(
          `${indent}${yamlKey(key)}: ${isCollection(item) ? block(item, indent)[0] : scalar(item)}`,
        );
      }
    }
    return lines;
  }
  return [scalar(value)];
}

function isMap(value: YamlValue): value is { readonly [key: string]: YamlValue | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCollection(value: YamlValue): boolean {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: YamlValue): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : isMap(value) && Object.values(value).every((v) => v === undefined);
}

/** Words YAML (1.1 or 1.2) reads as something other than a string. */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null)$/i;

/** A key: bare when it is a plain identifier YAML cannot read as anything else, else quoted. */
function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

/** A scalar: JSON's text for numbers, booleans and null; strings double-quoted (JSON escapes are YAML escapes). */
function scalar(value: YamlValue): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new TypeError(`cannot write ${value} in YAML`);
  return JSON.stringify(value);
}

/** One INI section: its name and its keys in order (`undefined` values are left out). */
export interface IniSection {
  readonly name: string;
  readonly keys: readonly (readonly [string, string | number | boolean | undefined])[];
}

/**
 * An INI file as Grafana reads it (go-ini): `[section]` then `key = value`. A value with `#`
 * or `;` (Grafana would cut it there), a quote, or space at either end is wrapped in `"""…"""`,
 * as Grafana's documentation says to. Throws for a value with a newline or `"""` (no quoting
 * can carry them).
 */
export function toIni(header: string, sections: readonly IniSection[]): string {
  const lines = header ? header.split('\n').map((l) => `; ${l}`.trimEnd()) : [];
  for (const section of sections) {
    if (lines.length > 0) lines.push('');
    lines.push(`[${section.name}]`);
    for (const [key, value] of section.keys) {
      if (value === undefined) continue;
      lines.push(`${key} = ${iniValue(key, String(value))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function iniValue(key: string, value: string): string {
  if (/[\r\n]/.test(value) || value.includes('"""')) {
    throw new RangeError(
      `the value of '${key}' cannot be written in an INI file (a newline or """)`,
    );
  }
  if (/[#;"`]/.test(value) || value !== value.trim()) return `"""${value}"""`;
  return value;
}
