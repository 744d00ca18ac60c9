/**
 * Values printed as Jinja2 prints them, which is Python's `str()` and `repr()` of the
 * `@huggingface/jinja` interpreter's runtime values: `True`, `None`, `['a', 'b']`, `{'k': 1}`.
 * @module
 */

/** A runtime value as the library's interpreter makes it. */
export interface Value {
  readonly type: string;
  readonly value: unknown;
  toString(): string;
}

/** Python's `str()` of a runtime value, as Jinja2 prints it. */
export function pythonStr(value: Value): string {
  switch (value.type) {
    case 'StringValue':
      return value.value as string;
    case 'BooleanValue':
    case 'NullValue':
    case 'ArrayValue':
    case 'TupleValue':
    case 'ObjectValue':
      return pythonRepr(value);
    default:
      return value.toString();
  }
}

/** Python's `repr()` of a runtime value (strings quoted as Python quotes them). */
function pythonRepr(value: Value): string {
  switch (value.type) {
    case 'StringValue':
      return pythonStringRepr(value.value as string);
    case 'BooleanValue':
      return value.value ? 'True' : 'False';
    case 'NullValue':
    case 'UndefinedValue':
      return 'None';
    case 'ArrayValue':
      return `[${(value.value as Value[]).map(pythonRepr).join(', ')}]`;
    case 'TupleValue': {
      const items = (value.value as Value[]).map(pythonRepr);
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'ObjectValue':
    case 'KeywordArgumentsValue':
      return `{${[...(value.value as Map<string, Value>)]
        .map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`)
        .join(', ')}}`;
    default:
      return value.toString();
  }
}

/** Python's repr of a str: single quotes unless the text has one and no double quote. */
function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}
