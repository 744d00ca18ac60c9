/**
 * Reading docs/tutorial.md as a script: its `console` blocks are commands with the output they
 * print, its `file=` blocks are files to write. The rules are the tutorial's own ("How this
 * page is tested"): addresses, times and spacing may differ, and a line `…` stands for any
 * number of lines.
 * @module
 */

/** A command and the standard output the tutorial shows for it. */
export interface CommandStep {
  kind: 'command';
  /** The 1-based line of the tutorial the command is on. */
  line: number;
  command: string;
  /** The lines shown after it ([] when it prints nothing). */
  output: string[];
}

/** A file the tutorial gives whole. */
export interface FileStep {
  kind: 'file';
  line: number;
  path: string;
  content: string;
}

export type TutorialStep = CommandStep | FileStep;

/** The steps of a tutorial, in order. Throws on an unclosed block or a bad `file=` path. */
export function parseTutorial(markdown: string): TutorialStep[] {
  const lines = markdown.split('\n');
  const steps: TutorialStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] ?? '');
    if (i >= lines.length) throw new Error(`tutorial line ${start + 1}: the block is never closed`);
    const file = /(?:^|\s)file=(\S+)/.exec(fence[2] ?? '')?.[1];
    if (file) {
      if (file.startsWith('/') || file.split('/').includes('..')) {
        throw new Error(
          `tutorial line ${start + 1}: file=${file} is not a path inside the repository`,
        );
      }
      steps.push({ kind: 'file', line: start + 1, path: file, content: `${body.join('\n')}\n` });
    } else if (fence[1] === 'console') {
      body.forEach((text, k) => {
        if (text.startsWith('$ ')) {
          steps.push({ kind: 'command', line: start + 2 + k, command: text.slice(2), output: [] });
        } else {
          const last = steps.at(-1);
          if (last?.kind !== 'command' || last.line < start + 1) {
            throw new Error(`tutorial line ${start + 2 + k}: output before any command`);
          }
          last.output.push(text);
        }
      });
    }
  }
  return steps;
}

/** A line as compared: what may vary replaced by a placeholder, spacing collapsed. */
export function normalize(line: string): string {
  return (
    line
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<address>')
      .replace(/\b\d{1,2}:\d{2}:\d{2}\b/g, '<time>')
      .replace(/\b\d+(\.\d+)?\s?(ms|s|m)\b/g, '<time>')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const ANY = '…';

/**
 * Why `actual` (a command's standard output) does not match the `expected` lines, or undefined
 * when it does: every expected line in order, consecutive but where a `…` line stands, and
 * nothing else (an empty `expected` means no output at all). Blank lines at either end of the
 * output do not count.
 */
export function outputMismatch(expected: readonly string[], actual: string): string | undefined {
  const got = actual.split('\n').map(normalize);
  while (got.length > 0 && got.at(-1) === '') got.pop();
  while (got.length > 0 && got[0] === '') got.shift();
  const want = expected.map((line) => (line.trim() === ANY ? ANY : normalize(line)));
  const matches = (w: number, g: number): boolean => {
    if (w === want.length) return g === got.length;
    if (want[w] === ANY) {
      for (let k = g; k <= got.length; k++) if (matches(w + 1, k)) return true;
      return false;
    }
    return g < got.length && got[g] === want[w] && matches(w + 1, g + 1);
  };
  if (matches(0, 0)) return undefined;
  return [
    'expected (normalized):',
    ...want.map((l) => `  ${l}`),
    'got (normalized):',
    ...got.map((l) => `  ${l}`),
  ].join('\n');
}
