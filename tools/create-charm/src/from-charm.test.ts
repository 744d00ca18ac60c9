/**
 * `--from` on every charm in charms/ at test time (so each new reference charm is covered as it
 * lands): the copy has the same files, renamed, and nothing of the old name is left outside the
 * spans that name someone else's things. The copies build and pass their unit tests in
 * e2e/workspace.test.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { referenceCharms } from './create-charm.ts';
import { listSourceFiles } from './files.ts';
import { copyCharm, dependencyNames, LEFT_OUT, readSourceCharm, renamesFor } from './from-charm.ts';
import { nameWords } from './names.ts';
import { fileKind, protectedSpans, renamePath } from './rename.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NEW_NAME = 'copied-charm';
const charms = referenceCharms(ROOT);

/** Every occurrence of `name` in any spelling, case-insensitively, as [start, end]. */
function occurrences(name: string, text: string): Array<[number, number]> {
  const re = new RegExp(nameWords(name).join('[-_ ]?'), 'gi');
  return [...text.matchAll(re)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

it('finds the reference charms', () => {
  expect(charms).toEqual(expect.arrayContaining(['hello-kubecon', 'snappass']));
});

describe.each(charms)('--from %s', (charm) => {
  const sourceDir = join(ROOT, 'charms', charm);
  const source = readSourceCharm(sourceDir);
  const copy = copyCharm(sourceDir, NEW_NAME, 99);
  const text = (path: string) => {
    const file = copy.files.find((f) => f.path === path);
    if (!file || typeof file.content !== 'string') throw new Error(`no text file ${path}`);
    return file.content;
  };

  it('copies every file, renamed, but the workload installer', () => {
    const renames = renamesFor(source, NEW_NAME);
    const expected = listSourceFiles(sourceDir)
      .filter((path) => !(LEFT_OUT as readonly string[]).includes(path))
      .map((path) => renames.reduce((p, rename) => renamePath(p, rename), path));
    expect(copy.files.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(copy.leftOut).toEqual(listSourceFiles(sourceDir).filter((p) => p === 'test-deps.sh'));
  });

  it('is the new charm in charmcraft.yaml, package.json and vitest.config.ts', () => {
    const charmcraft = parse(text('charmcraft.yaml')) as Record<string, Record<string, unknown>>;
    expect(charmcraft.name).toBe(NEW_NAME);
    for (const container of Object.keys(charmcraft.containers ?? {})) {
      expect(occurrences(source.name, container)).toEqual([]);
    }
    expect(JSON.parse(text('package.json')).name).toBe(NEW_NAME);
    expect(text('vitest.config.ts')).toContain(`name: '${NEW_NAME}'`);
    expect(text('vitest.config.ts')).toMatch(/groupOrder: 99\b/);
  });

  it("leaves nothing of the old name but other projects' names", () => {
    const keep = renamesFor(source, NEW_NAME, dependencyNames(source, ROOT))[0]?.keep ?? [];
    const left: string[] = [];
    for (const file of copy.files) {
      if (typeof file.content !== 'string') continue;
      const content = file.content;
      const spans = protectedSpans(content, fileKind(file.path), keep);
      for (const name of new Set([source.name, source.packageName, charm])) {
        for (const [s, e] of occurrences(name, content)) {
          if (spans.some(([ps, pe]) => s >= ps && e <= pe)) continue;
          const line = content.slice(0, s).split('\n').length;
          left.push(`${file.path}:${line}: ${content.split('\n')[line - 1]?.trim()}`);
        }
      }
      expect(occurrences(charm, file.path), file.path).toEqual([]);
    }
    expect(left).toEqual([]);
  });
});

describe('--from the reference charms on main', () => {
  /** What of the old name a copy keeps: only links to the upstream project. */
  const kept = (charm: string, name: string) =>
    copyCharm(join(ROOT, 'charms', charm), NEW_NAME, 99).files.flatMap((file) =>
      typeof file.content === 'string'
        ? file.content
            .split('\n')
            .filter((line) => occurrences(name, line).length > 0)
            .map((line) => `${file.path}: ${line.trim()}`)
        : [],
    );

  it.runIf(charms.includes('snappass'))('snappass: only the upstream links', () => {
    expect(kept('snappass', 'snappass')).toEqual([
      'README.md: A sidecar charm for [CopiedCharm](https://github.com/pinterest/snappass): share a password through',
      'charmcraft.yaml: source: https://github.com/pinterest/snappass',
    ]);
  });

  it.runIf(charms.includes('hello-kubecon'))('hello-kubecon: only the upstream links', () => {
    const lines = kept('hello-kubecon', 'hello-kubecon');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/https:\/\/github\.com\/jnsgruk\/hello-kubecon/);
  });

  it('copies the files as they are on disk, modes included', () => {
    const copy = copyCharm(join(ROOT, 'charms', 'snappass'), NEW_NAME, 99);
    expect(copy.replaced).toBeGreaterThan(100);
    expect(copy.files.every((f) => f.mode === 0o644 || f.mode === 0o755)).toBe(true);
    expect(readFileSync(join(ROOT, 'charms', 'snappass', 'charmcraft.yaml'), 'utf8')).toContain(
      'name: snappass',
    );
  });
});
