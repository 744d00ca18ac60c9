/**
 * Renames a charm in the text of its files: every spelling of the old name (`hello-kubecon`,
 * `hello_kubecon`, `HelloKubecon`, `helloKubecon`, `HELLO_KUBECON`, `Hello KubeCon`) becomes the
 * same spelling of the new one, except in the spans that name someone else's things (see
 * {@link protectedSpans}).
 * @module
 */
import { CODE, type CodeMap, scanCode } from './code-scan.ts';
import { nameWords } from './names.ts';

/** What a rename replaces and what it leaves alone. */
export interface Rename {
  /** The old name (a charm name: lowercase words joined by hyphens). */
  from: string;
  /** The new name. */
  to: string;
  /**
   * Names that stay as they are wherever they stand as a whole token: relation endpoints and
   * interfaces shared with other charms (`grafana-source`, `grafana_datasource`).
   */
  keep: readonly string[];
}

/** How a file's text is read: TypeScript/JavaScript, Python, or anything else. */
export type FileKind = 'code' | 'python' | 'text';

/** The kind of a file, from its name. */
export function fileKind(path: string): FileKind {
  if (/\.(ts|mts|cts|tsx|js|mjs|cjs)$/.test(path)) return 'code';
  if (path.endsWith('.py')) return 'python';
  return 'text';
}

const WORD_CHAR = /[A-Za-z0-9]/;
const TOKEN_CHAR = /[A-Za-z0-9_-]/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A span of text [start, end) left as it is. */
type Span = readonly [number, number];

/** Every match of `re` (global) in `text` as a span. */
function spansOf(re: RegExp, text: string, group = 0): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(re)) {
    const start = (m.index ?? 0) + (group ? m[0].indexOf(m[group] ?? '') : 0);
    spans.push([start, start + (m[group] ?? '').length]);
  }
  return spans;
}

/** Whole-token occurrences of `token`: not next to a letter, digit, `_` or `-`. */
function tokenSpans(token: string, text: string): Span[] {
  const re = new RegExp(escapeRegExp(token), 'g');
  return spansOf(re, text).filter(
    ([s, e]) => !TOKEN_CHAR.test(text.charAt(s - 1)) && !TOKEN_CHAR.test(text.charAt(e)),
  );
}

/** Identifier occurrences of `name`: not next to a letter, digit, `_` or `$`. */
function identifierSpans(name: string, text: string): Span[] {
  const re = new RegExp(escapeRegExp(name), 'g');
  return spansOf(re, text).filter(
    ([s, e]) => !/[A-Za-z0-9_$]/.test(text.charAt(s - 1)) && !/[A-Za-z0-9_$]/.test(text.charAt(e)),
  );
}

/** The names a module import brings in: `{ A, type B, C as D }`, `E`, `* as F`. */
function importedNames(clause: string): string[] {
  return clause
    .replace(/[{}*]/g, ' ')
    .split(/[\s,]+/)
    .filter((word) => /^[A-Za-z_$][\w$]*$/.test(word) && !['type', 'as'].includes(word));
}

/**
 * The spans a rename leaves alone in one file:
 * - URLs in prose and metadata (they point at upstream projects and images, not at this charm),
 * - Canonical charm library paths (`charms.grafana_k8s.v0.grafana_source`),
 * - `keep` tokens (endpoints and interfaces shared with other charms),
 * - imports from packages (not relative paths) and every use of the names they bring in: those
 *   are the package's names (`GrafanaSourceRequirer` from `@charm-ts/relations`).
 */
export function protectedSpans(text: string, kind: FileKind, keep: readonly string[]): Span[] {
  const spans: Span[] = [
    // In code a URL is often built from the app's name (a test's ingress URL): renamed there.
    ...(kind === 'text' ? spansOf(/https?:\/\/[^\s'"`<>(){}$\]]+/g, text) : []),
    ...spansOf(/\bcharms\.[a-z0-9_]+\.v\d+\.[a-z0-9_]+/g, text),
    ...keep.flatMap((token) => tokenSpans(token, text)),
  ];
  const names = new Set<string>();
  if (kind === 'code') {
    const imports = /\b(?:import|export)\s+(?:type\s+)?([\w$*{},\s]+?)\s+from\s+(['"])([^'"]+)\2/g;
    for (const m of text.matchAll(imports)) {
      if ((m[3] ?? '').startsWith('.')) continue;
      spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
      for (const name of importedNames(m[1] ?? '')) names.add(name);
    }
    spans.push(...spansOf(/\bimport\s*\(\s*(['"])[^.'"][^'"]*\1\s*\)/g, text));
  } else if (kind === 'python') {
    for (const m of text.matchAll(/^[ \t]*(?:from\s+([\w.]+)\s+)?import\s+([^\n]+)$/gm)) {
      if ((m[1] ?? '').startsWith('.')) continue;
      spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
      for (const name of importedNames((m[2] ?? '').replace(/[()]/g, ' '))) names.add(name);
    }
  }
  for (const name of names) spans.push(...identifierSpans(name, text));
  return spans;
}

/** How a match is written: `snappass`, `SNAPPASS`, `SnapPass` or `helloKubecon`. */
type Case = 'lower' | 'upper' | 'pascal' | 'camel';

function caseOf(match: string): Case {
  const letters = match.replace(/[^A-Za-z]/g, '');
  if (letters === letters.toLowerCase()) return 'lower';
  if (letters === letters.toUpperCase() && letters.length > 1) return 'upper';
  return /[A-Z]/.test(match.charAt(0)) ? 'pascal' : 'camel';
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The new words spelled in `style`, joined by `separator`. */
function spell(words: readonly string[], style: Case, separator: string): string {
  switch (style) {
    case 'lower':
      return words.join(separator);
    case 'upper':
      return words.join(separator).toUpperCase();
    case 'pascal':
      return words.map(capitalize).join(separator);
    case 'camel':
      return words.map((w, i) => (i === 0 ? w : capitalize(w))).join(separator);
  }
}

/** A found occurrence of the old name and what replaces it. */
interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** The previous character that is not white space, and its index. */
function previousNonSpace(text: string, index: number): [string, number] {
  let j = index - 1;
  while (j >= 0 && /\s/.test(text.charAt(j))) j--;
  return [text.charAt(j), j];
}

/**
 * The replacement of a one-word old name written in lowercase as a whole identifier in code
 * (`snappass`), when the new name has several words: a property name keeps the name as text
 * (`services: { 'my-app': … }`, `plan.services['my-app']`), so it stays the same name as the
 * strings that spell it; anything else becomes a camelCase identifier (`myApp`).
 */
function identifierReplacement(
  text: string,
  map: CodeMap,
  start: number,
  end: number,
  words: readonly string[],
): Replacement {
  const kebab = words.join('-');
  const [before, at] = previousNonSpace(text, start);
  if (before === '.') {
    const optional = text.charAt(at - 1) === '?';
    const from = optional ? at - 1 : at;
    return { start: from, end, text: `${optional ? '?.' : ''}['${kebab}']` };
  }
  // A key: `{ name: …`, `, name?: …` or, in a type or class body, `; name: …`.
  const after = /^\s*\??:(?!:)/.test(text.slice(end));
  if (after && map.enclosing[start] === '{' && ['{', ',', ';'].includes(before)) {
    return { start, end, text: `'${kebab}'` };
  }
  return { start, end, text: spell(words, 'camel', '') };
}

/** Whether the character at `at` is escaped: an odd number of backslashes stands before it. */
function escapes(text: string, at: number): boolean {
  let count = 0;
  while (text.charAt(at - 1 - count) === '\\') count++;
  return count % 2 === 1;
}

/**
 * `text` with every spelling of `rename.from` replaced by the same spelling of `rename.to`,
 * outside the protected spans. Returns the new text and how many occurrences were replaced.
 */
export function renameText(
  text: string,
  kind: FileKind,
  rename: Rename,
): { text: string; replaced: number } {
  const oldWords = nameWords(rename.from);
  const newWords = nameWords(rename.to);
  const protect = protectedSpans(text, kind, rename.keep);
  const isProtected = (s: number, e: number) => protect.some(([ps, pe]) => s < pe && e > ps);
  const map = kind === 'code' ? scanCode(text) : undefined;
  const pattern = new RegExp(oldWords.map(escapeRegExp).join('([-_ ]?)'), 'gi');
  const replacements: Replacement[] = [];

  for (const m of text.matchAll(pattern)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const found = m[0];
    const style = caseOf(found);
    const before = text.charAt(start - 1);
    const after = text.charAt(end);
    // A word boundary, or a change of case inside an identifier (mySnappass, snappassLayer).
    // After an escape in a string literal (`'\\nsnappass: …'`) the name starts a word too.
    const afterEscape = /[nrt]/.test(before) && escapes(text, start - 1);
    const startsWord =
      !WORD_CHAR.test(before) ||
      afterEscape ||
      (/[a-z0-9]/.test(before) && /[A-Z]/.test(found.charAt(0)) && style !== 'upper');
    const endsWord =
      !WORD_CHAR.test(after) || (/[A-Z]/.test(after) && /[a-z0-9]/.test(found.at(-1) ?? ''));
    if (!startsWord || !endsWord || isProtected(start, end)) continue;

    const inCode = map?.kind[start] === CODE;
    let separator: string;
    if (oldWords.length > 1) separator = m[1] ?? '';
    else if (style === 'pascal' || style === 'camel') separator = '';
    else if (style === 'upper') separator = '_';
    // Next to `_` in an identifier (`snappass_port`), snake_case; in text the charm's own
    // spelling stays (`juju_<model>_<uuid>_snappass` is the app name in an id).
    else if ((inCode || kind === 'python') && (before === '_' || after === '_')) separator = '_';
    else if (inCode) {
      if (newWords.length > 1 && map) {
        replacements.push(identifierReplacement(text, map, start, end, newWords));
        continue;
      }
      separator = '';
    } else separator = '-';
    // An identifier cannot hold a hyphen or a space: camelCase it (or snake_case in Python).
    let spelled = spell(newWords, style, separator);
    if (inCode && /[- ]/.test(separator)) {
      spelled = spell(newWords, style === 'lower' ? 'camel' : style, '');
    }
    replacements.push({ start, end, text: spelled });
  }

  let out = '';
  let last = 0;
  for (const r of replacements) {
    out += text.slice(last, r.start) + r.text;
    last = r.end;
  }
  out += text.slice(last);
  const replaced = replacements.length;
  return { text: out, replaced };
}

/** A relative file path with the old name replaced in each segment (`src/snappass-charm.ts`). */
export function renamePath(path: string, rename: Rename): string {
  return path
    .split('/')
    .map((segment) => renameText(segment, 'text', rename).text)
    .join('/');
}
