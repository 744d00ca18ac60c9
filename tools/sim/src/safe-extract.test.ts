// Crafted archives against unpacking (issue 11, item 1): whatever an archive says, nothing is
// written outside the charm directory, and a refused archive leaves nothing at all.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type CraftedEntry, craftZip } from '@charm-ts/zip/testing';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { unpackCharm } from './charm.ts';
import { overwritePlanned, planExtraction, readTree } from './safe-extract.ts';

const META: CraftedEntry = { name: 'metadata.yaml', data: 'name: demo\n', mode: 0o644 };
const DISPATCH: CraftedEntry = { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 };

/** Every path under `dir`, with what it is: a listing to compare before and after. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(join(dir, path));
      out.push(`${path} ${stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : 'file'}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk('');
  return out;
}

// The charm goes to <root>/state/charms/demo-1: three levels below <root>, so `../../..`
// from the charm directory is <root>, where an escape would show.
function setup() {
  const root = tempDir('sim-unpack-');
  mkdirSync(join(root, 'state', 'charms'), { recursive: true });
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'keep'), 'untouched');
  const file = join(root, 'evil.charm');
  return { root, file, dir: join(root, 'state', 'charms', 'demo-1') };
}

const refused: { title: string; entries: CraftedEntry[]; error: string }[] = [
  {
    title: 'an absolute name',
    entries: [META, { name: '/tmp/pwned', data: 'x', mode: 0o644 }],
    error: 'entry "/tmp/pwned" is an absolute path',
  },
  {
    title: 'a name that climbs out with ..',
    entries: [META, { name: '../../../outside/pwned', data: 'x', mode: 0o644 }],
    error: 'entry "../../../outside/pwned" escapes the charm directory',
  },
  {
    title: '.. in the middle of a name',
    entries: [META, { name: 'src/../../../../outside/pwned', data: 'x', mode: 0o644 }],
    error: 'entry "src/../../../../outside/pwned" escapes the charm directory',
  },
  {
    title: 'a symlink to an absolute path',
    entries: [META, { name: 'evil', data: '/etc/passwd', mode: 0o120777 }],
    error: 'entry "evil" is a symlink to the absolute path "/etc/passwd"',
  },
  {
    title: 'a symlink that climbs out',
    entries: [META, { name: 'hooks/up', data: '../../../../outside', mode: 0o120777 }],
    error: 'entry "hooks/up" is a symlink to "../../../../outside", outside the charm',
  },
  {
    // The reproduction of issue 11: `a` -> `.`, then `a/a/a/l` -> `../../..` reads as staying
    // inside when checked as text, but `a/a/a` is the charm directory itself, so `l` is <root>.
    title: 'a chain of symlinks made earlier by the same archive',
    entries: [
      META,
      { name: 'a', data: '.', mode: 0o120777 },
      { name: 'a/a/a/l', data: '../../..', mode: 0o120777 },
      { name: 'a/a/a/l/outside/pwned', data: 'x', mode: 0o644 },
    ],
    error: 'entry "a/a/a/l" is under the symlink "a"',
  },
  {
    title: 'a symlink whose target goes through another symlink and out',
    entries: [
      META,
      { name: 'here', data: '.', mode: 0o120777 },
      { name: 'deep/x', data: '../here/../../../outside', mode: 0o120777 },
    ],
    error: 'entry "deep/x" is a symlink to "../here/../../../outside", outside the charm',
  },
  {
    title: 'a symlink through a symlink the archive makes later',
    entries: [
      META,
      { name: 'first', data: 'later/../..', mode: 0o120777 },
      { name: 'later', data: '.', mode: 0o120777 },
    ],
    error: 'entry "first" is a symlink to "later/../..", outside the charm',
  },
  {
    title: 'a file under a symlink to a directory inside',
    entries: [
      META,
      { name: 'src/x', data: 'x', mode: 0o644 },
      { name: 'lib', data: 'src', mode: 0o120777 },
      { name: 'lib/y', data: 'y', mode: 0o644 },
    ],
    error: 'entry "lib/y" is under the symlink "lib"',
  },
  {
    title: 'symlinks that loop',
    entries: [
      META,
      { name: 'p', data: 'q', mode: 0o120777 },
      { name: 'q', data: 'p', mode: 0o120777 },
    ],
    error: 'entry "p" is a symlink that loops',
  },
  {
    title: 'the same entry twice: a file, then a symlink',
    entries: [
      META,
      { name: 'charm.py', data: 'print(1)', mode: 0o644 },
      { name: 'charm.py', data: '../../../outside/keep', mode: 0o120777 },
    ],
    error: 'entry "charm.py" is in the archive more than once',
  },
  {
    title: 'the same file twice',
    entries: [META, DISPATCH, { name: 'dispatch', data: '#!/bin/sh\nrm -rf /\n', mode: 0o755 }],
    error: 'entry "dispatch" is in the archive more than once',
  },
  {
    title: 'a directory entry and a file of the same name',
    entries: [
      META,
      { name: 'src/', data: '', mode: 0o040755 },
      { name: 'src', data: 'x', mode: 0o644 },
    ],
    error: 'entry "src" is in the archive more than once',
  },
  {
    title: 'a file under a file',
    entries: [META, DISPATCH, { name: 'dispatch/x', data: 'x', mode: 0o644 }],
    error: 'entry "dispatch/x" is under the file "dispatch"',
  },
  {
    title: 'an empty path segment',
    entries: [META, { name: 'src//x', data: 'x', mode: 0o644 }],
    error: 'entry "src//x" has an empty or "." path segment',
  },
  {
    title: 'a NUL byte in a name',
    entries: [META, { name: 'src/x\0/../../y', data: 'x', mode: 0o644 }],
    error: 'entry "src/x\\u0000/../../y" has a NUL byte in its name',
  },
];

describe('unpacking a crafted archive', () => {
  test.each(refused)('refuses $title, and writes nothing anywhere', ({ entries, error }) => {
    const { root, file, dir } = setup();
    writeFileSync(file, craftZip(entries));
    const before = listing(root);
    let thrown: unknown;
    try {
      unpackCharm(file, dir);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toMatchObject({ code: 'BAD_CHARM' });
    expect((thrown as Error).message).toContain(`cannot unpack ${file}: ${error}`);
    expect(listing(root)).toEqual(before);
    expect(readFileSync(join(root, 'outside', 'keep'), 'utf8')).toBe('untouched');
  });

  test('unpacks what charms really hold: symlinks inside, directories, modes', () => {
    const { file, dir } = setup();
    writeFileSync(
      file,
      craftZip([
        META,
        DISPATCH,
        { name: 'hooks/', data: '', mode: 0o040755 },
        { name: 'hooks/install', data: '../dispatch', mode: 0o120777 },
        // Through another symlink, and to a file that comes later in the archive.
        { name: 'current', data: 'venv', mode: 0o120777 },
        { name: 'bin/python', data: '../current/bin/python3', mode: 0o120777 },
        { name: 'venv/bin/python3', data: 'elf', mode: 0o4755 },
      ]),
    );
    expect(unpackCharm(file, dir).name).toBe('demo');
    expect(readlinkSync(join(dir, 'hooks/install'))).toBe('../dispatch');
    expect(readFileSync(join(dir, 'bin/python'), 'utf8')).toBe('elf');
    // Never setuid: the charm runs as root.
    expect(lstatSync(join(dir, 'venv/bin/python3')).mode & 0o7777).toBe(0o755);
  });
});

describe('writing a new charm over a unit’s charm directory (refresh)', () => {
  test('symlinks a hook left there are replaced, never followed', () => {
    const { root, dir } = setup();
    const fresh = join(root, 'state', 'charms', 'demo-2');
    mkdirSync(join(fresh, 'src'), { recursive: true });
    writeFileSync(join(fresh, 'dispatch'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(fresh, 'src', 'charm.py'), 'new');
    // What a hook (root in its sandbox) may leave in its own charm directory.
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.unit-state.db'), 'kept');
    symlinkSync(join(root, 'outside', 'keep'), join(dir, 'dispatch'));
    symlinkSync(join(root, 'outside'), join(dir, 'src'));
    const plan = planExtraction(readTree(fresh), fresh);
    overwritePlanned(plan, dir, fresh);
    expect(readFileSync(join(root, 'outside', 'keep'), 'utf8')).toBe('untouched');
    expect(readdirSync(join(root, 'outside'))).toEqual(['keep']);
    expect(lstatSync(join(dir, 'src')).isDirectory()).toBe(true);
    expect(readFileSync(join(dir, 'src', 'charm.py'), 'utf8')).toBe('new');
    expect(lstatSync(join(dir, 'dispatch')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, '.unit-state.db'), 'utf8')).toBe('kept');
    expect(existsSync(join(dir, 'dispatch'))).toBe(true);
  });
});
