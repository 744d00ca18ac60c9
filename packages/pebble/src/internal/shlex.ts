/**
 * POSIX-shell-like word splitting, as Pebble applies to service and exec-check commands
 * (quotes, backslash escapes, `#` comments). Enough to tell a command Pebble would refuse.
 * @module
 */

/**
 * Splits a command line into words.
 * @throws Error with Pebble's wording when a quote is left open or the line ends in `\`.
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('EOF found after escape character');
      word += text[++i];
      inWord = true;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('EOF found when expecting closing quote');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1] as string)) j++;
        word += text[j];
      }
      if (j >= text.length) throw new Error('EOF found when expecting closing quote');
      i = j;
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
