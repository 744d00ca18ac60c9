/**
 * A reader for the environment most templates render to: lines of `NAME: value`, with blank
 * and comment lines. It gives exactly what the YAML reader (`environment-yaml.ts`, the `yaml`
 * library with YAML 1.1) gives for such text, and declines (undefined) anything else, which then
 * goes to that reader. The point is start-up: loading `yaml` costs a hook about 40 ms, and most
 * renderings never need it.
 * @module
 */

/** A key YAML reads as a plain string: a name of letters, digits and `_`, not too long. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
/** Plain scalars YAML 1.1 reads as booleans and nulls (the `yaml` library's own tests). */
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
/** Characters a plain scalar may not start with (YAML's indicators). */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');
/** Printable ASCII, the only characters this reader takes in a value. */
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * The environment in `rendered`, when every line is blank, a comment, or `NAME: value` with a
 * value that is empty, plain (one line, no comment, no `: `), single-quoted (`''` for a quote)
 * or double-quoted without escapes. A boolean becomes `true`/`false`, a null `''`, anything else
 * the text as written (numbers too), as the YAML reader gives them. Undefined for anything else:
 * other YAML, duplicate names, a name YAML would read as a boolean, tabs, non-ASCII.
 */
export function readPlainEnvironment(rendered: string): Record<string, string> | undefined {
  const environment: Record<string, string> = {};
  for (const line of rendered.split('\n')) {
    if (/^ *(?:#.*)?$/.test(line)) continue;
    const colon = line.indexOf(':');
    if (colon < 0) return undefined;
    const key = line.slice(0, colon);
    const rest = line.slice(colon + 1);
    if (!KEY.test(key) || TRUE.test(key) || FALSE.test(key) || NULL.test(key)) return undefined;
    if (rest !== '' && rest[0] !== ' ') return undefined;
    if (Object.hasOwn(environment, key)) return undefined;
    if (!PRINTABLE.test(rest)) return undefined;
    const value = scalar(rest.replace(/^ +| +$/g, ''));
    if (value === undefined) return undefined;
    environment[key] = value;
  }
  return environment;
}

/** A value's text (printable ASCII, spaces trimmed) as the environment gets it, or undefined. */
function scalar(text: string): string | undefined {
  if (text === '') return '';
  const first = text[0] as string;
  if (first === "'") {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith("'") || inner.replaceAll("''", '').includes("'")) {
      return undefined;
    }
    return inner.replaceAll("''", "'");
  }
  if (first === '"') {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith('"') || /["\\]/.test(inner)) return undefined;
    return inner;
  }
  if (INDICATORS.has(first) || text.includes(' #') || text.includes(': ') || text.endsWith(':')) {
    return undefined;
  }
  if (TRUE.test(text)) return 'true';
  if (FALSE.test(text)) return 'false';
  if (NULL.test(text)) return '';
  return text;
}
