/**
 * JSON as Python's `json.dumps` writes it with its defaults, the encoding Canonical's charm
 * libraries use for relation data: `", "` and `": "` separators, every character outside
 * printable ASCII escaped (`ensure_ascii`), floats in Python's `repr`. A bag we write is then
 * byte for byte what the Python library writes, so "changed?" compares equal strings.
 * @module
 */

/** A value `pythonJson` can encode. Object keys keep their order, as a Python dict does. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * `value` encoded as Python's `json.dumps(value)`. Integral numbers are written as Python
 * ints (`8080`), others as Python's float repr (`0.5`, `1e-05`); object properties that are
 * `undefined` are left out. Throws `TypeError` for NaN and infinities (Python would write the
 * non-JSON `NaN`) and for values JSON cannot hold.
 */
export function pythonJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return pythonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pythonNumber(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(', ')}]`;
      const parts: string[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) parts.push(`${pythonString(key)}: ${pythonJson(item)}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      throw new TypeError(`cannot encode a ${typeof value} as JSON`);
  }
}

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    // UTF-16 units, as Python writes astral characters: a surrogate pair of \u escapes.
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

function pythonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot encode ${n} as JSON`);
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : String(n);
  // Python's repr: the shortest digits that read back the same (as toExponential gives them),
  // in fixed notation unless the decimal exponent is below -4.
  const [mantissa = '', exp = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exp) + 1;
  const sign = n < 0 ? '-' : '';
  if (point <= -4) {
    const e = Number(exp);
    return `${sign}${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
