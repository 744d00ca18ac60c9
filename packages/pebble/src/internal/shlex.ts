/**
 * Word splitting as Pebble does it for service commands and exec checks (Go's
 * `github.com/canonical/x-go/strutil/shlex`, which Pebble's plan package uses): words are
 * separated by space, tab, CR and LF only; `'...'` is literal; outside quotes and inside
 * `"..."` a backslash takes the next character as it is (so `"a\x"` is `ax`); a `#` where a
 * word could start comments out the rest of the line. No expansion of any kind. The one
 * splitter of charm-ts: @charm-ts/testing's MemoryPebble uses it through
 * `@charm-ts/pebble/internal`.
 * @module
 */

const SPACE = new Set([' ', '\t', '\r', '\n']);

/**
 * Splits a command line into words.
 * @throws Error with Pebble's wording when a quote is left open or the line ends in `\`.
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const escaped = (): string => {
    if (i + 1 >= text.length) throw new Error('EOF found after escape character');
    i += 1;
    return text[i] as string;
  };
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (SPACE.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '\\') {
      word += escaped();
      inWord = true;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('EOF found when expecting closing quote');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      for (i += 1; text[i] !== '"'; i++) {
        if (i >= text.length) throw new Error('EOF found when expecting closing quote');
        word += text[i] === '\\' ? escaped() : text[i];
      }
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Checks the optional trailing `[ default args ]` group of a service command.
 * @throws Error with Pebble's wording for a misplaced or nested group.
 */
export function checkCommandGroups(words: readonly string[]): void {
  let inGroup = false;
  let hadGroup = false;
  words.forEach((word, index) => {
    if (inGroup) {
      if (word === '[') throw new Error('cannot nest [ ... ] groups');
      if (word === ']') inGroup = false;
      return;
    }
    if (hadGroup) throw new Error('cannot have any arguments after [ ... ] group');
    if (word === '[') {
      if (index === 0) throw new Error('cannot start command with [ ... ] group');
      inGroup = true;
      hadGroup = true;
    } else if (word === ']') {
      throw new Error('cannot have ] outside of [ ... ] group');
    }
  });
}
