/**
 * A small lexer for TypeScript and JavaScript: for each character, whether it is code (an
 * identifier may stand there) or inside a string, template text, comment or regular expression,
 * and which bracket encloses it. Enough to spell a renamed name as an identifier or as text.
 * @module
 */

/** Where a character stands: code, a string (or template text, or a regex), a comment. */
export const CODE = 0;
export const TEXT = 1;
export const COMMENT = 2;

/** The bracket that encloses a code character: none, `{`, `(` or `[`. */
export type Enclosing = '' | '{' | '(' | '[';

/** Per character: `CODE`, `TEXT` or `COMMENT`, and the innermost bracket around code. */
export interface CodeMap {
  kind: Uint8Array;
  enclosing: Enclosing[];
}

const REGEX_AFTER = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void']);

/** Whether a `/` at `i` (in code) starts a regular expression rather than a division. */
function startsRegex(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(text.charAt(j))) j--;
  if (j < 0) return true;
  const before = text.charAt(j);
  if (REGEX_AFTER.has(before)) return true;
  if (/[A-Za-z_$]/.test(before)) {
    let k = j;
    while (k > 0 && /[A-Za-z_$]/.test(text.charAt(k - 1))) k--;
    return REGEX_AFTER_WORDS.has(text.slice(k, j + 1));
  }
  return false;
}

/** Lexes `text` (TypeScript or JavaScript source). */
export function scanCode(text: string): CodeMap {
  const kind = new Uint8Array(text.length);
  const enclosing: Enclosing[] = new Array(text.length).fill('');
  // Brackets in code; a `${` of a template literal is pushed as '$'.
  const stack: Array<'{' | '(' | '[' | '$'> = [];
  const top = (): Enclosing => {
    const last = stack.at(-1);
    return last === '$' ? '{' : (last ?? '');
  };
  let i = 0;
  const markText = (from: number, to: number, as = TEXT) =>
    kind.fill(as, from, Math.min(to, text.length));

  /** Scans template text from `i` (after the backtick or a closing `}`); returns where it ended. */
  const template = (start: number): number => {
    let j = start;
    while (j < text.length) {
      const c = text.charAt(j);
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '`') {
        markText(start, j + 1);
        return j + 1;
      }
      if (c === '$' && text.charAt(j + 1) === '{') {
        markText(start, j + 2);
        stack.push('$');
        return j + 2;
      }
      j++;
    }
    markText(start, j);
    return j;
  };

  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      markText(i, stop, COMMENT);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      markText(i, stop, COMMENT);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== c && text.charAt(j) !== '\n') {
        j += text.charAt(j) === '\\' ? 2 : 1;
      }
      markText(i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      kind[i] = TEXT;
      i = template(i + 1);
    } else if (c === '/' && startsRegex(text, i)) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text.charAt(j) !== '\n') {
        const r = text.charAt(j);
        if (r === '\\') j++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        j++;
      }
      while (j + 1 < text.length && /[a-z]/.test(text.charAt(j + 1))) j++;
      markText(i, j + 1);
      i = j + 1;
    } else {
      enclosing[i] = top();
      if (c === '{' || c === '(' || c === '[') stack.push(c);
      else if (c === ')' || c === ']') stack.pop();
      else if (c === '}') {
        if (stack.pop() === '$') {
          kind[i] = TEXT;
          i = template(i + 1);
          continue;
        }
      }
      i++;
    }
  }
  return { kind, enclosing };
}
