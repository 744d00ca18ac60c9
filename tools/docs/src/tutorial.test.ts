import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalize, outputMismatch, parseTutorial } from './tutorial.ts';

const TUTORIAL = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'docs',
  'tutorial.md',
);

describe('parseTutorial', () => {
  it('reads console blocks as commands with their output, and file= blocks as files', () => {
    const md = [
      '# t',
      '```sh',
      'git clone x',
      '```',
      '```console',
      '$ echo hi',
      'hi',
      '$ true',
      '```',
      '```ts file=src/a.ts',
      'export const a = 1;',
      '```',
    ].join('\n');
    expect(parseTutorial(md)).toEqual([
      { kind: 'command', line: 6, command: 'echo hi', output: ['hi'] },
      { kind: 'command', line: 8, command: 'true', output: [] },
      { kind: 'file', line: 10, path: 'src/a.ts', content: 'export const a = 1;\n' },
    ]);
  });

  it('refuses an unclosed block, output without a command and a path outside the repository', () => {
    expect(() => parseTutorial('```console\n$ ls\n')).toThrow('line 1: the block is never closed');
    expect(() => parseTutorial('```console\nhi\n```')).toThrow('line 2: output before any command');
    expect(() => parseTutorial('```ts file=../x.ts\n```')).toThrow('not a path inside');
  });

  it('finds the steps of docs/tutorial.md', () => {
    const steps = parseTutorial(readFileSync(TUTORIAL, 'utf8'));
    const commands = steps.flatMap((s) => (s.kind === 'command' ? [s.command] : []));
    expect(commands[0]).toBe('pnpm install');
    expect(commands).toContain('pnpm install && pnpm build');
    expect(commands.some((c) => c.startsWith('pnpm new-charm my-redis'))).toBe(true);
    expect(commands.at(-1)).toBe('pnpm sim destroy');
    expect(steps.filter((s) => s.kind === 'file').map((s) => (s as { path: string }).path)).toEqual(
      [
        'charms/my-redis/charmcraft.yaml',
        'charms/my-redis/src/my-redis-charm.ts',
        'charms/my-redis/charmcraft.yaml',
        'charms/my-redis/src/my-redis-charm.ts',
        'charms/my-redis/src/my-redis-charm.test.ts',
      ],
    );
  });
});

describe('outputMismatch', () => {
  it('lets addresses, times and spacing vary', () => {
    expect(normalize('my-redis/0*  active   10.213.76.2  took 22.98s at 02:49:18 (5ms)')).toBe(
      'my-redis/0* active <address> took <time> at <time> (<time>)',
    );
    expect(outputMismatch(['a  10.1.1.1'], 'a 10.9.9.9\n')).toBeUndefined();
  });

  it('takes … for any number of lines, and anchors both ends', () => {
    expect(outputMismatch(['…', 'Done'], 'x\ny\nDone\n')).toBeUndefined();
    expect(outputMismatch(['…', 'Done'], 'Done\n')).toBeUndefined();
    expect(outputMismatch(['a', '…', 'c', '…'], 'a\nb\nc\nd\n')).toBeUndefined();
    expect(outputMismatch(['Done'], 'x\nDone\n')).toContain('got (normalized):');
    expect(outputMismatch(['a', 'b'], 'a\nx\nb\n')).toBeDefined();
  });

  it('takes no lines shown as no output', () => {
    expect(outputMismatch([], '\n')).toBeUndefined();
    expect(outputMismatch([], 'surprise\n')).toContain('surprise');
  });
});
