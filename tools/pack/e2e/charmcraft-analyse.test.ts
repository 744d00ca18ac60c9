// charmcraft's own linter on every .charm this repo packs (issue 11, item 7): the reference
// charms and the packer's fixtures, every target, with the embedded runtime, as shipped.
// `charmcraft analyse` (PyPI charmcraft 4.5.0, in the venv scripts/install-test-deps.sh makes)
// must report no lint or attribute result of "error" or "fatal"; warnings may stay.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCharmcraft, typegen } from '@charm-ts/ops';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedCharm, packCharm } from '../src/pack.ts';
import { defaultCacheDir } from '../src/runtime/node-runtime.ts';
import { NODE_VERSION } from '../src/runtime/registry.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHARMCRAFT = join(homedir(), '.cache', 'charm-ts', 'charmcraft-venv', 'bin', 'charmcraft');
const INSTALL =
  'bash scripts/install-test-deps.sh (python3 -m venv ~/.cache/charm-ts/charmcraft-venv; pip install charmcraft==4.5.0)';
const missing = existsSync(CHARMCRAFT) ? undefined : `charmcraft missing: ${INSTALL}`;
if (missing && process.env.CI) throw new Error(`charmcraft analyse cannot run: ${missing}`);

/** Every charm directory the repo packs: charms/* and the packer's fixtures. */
const CHARM_DIRS = [join(root, 'charms'), join(root, 'tools', 'pack', 'test', 'fixtures')].flatMap(
  (parent) =>
    readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => existsSync(join(dir, 'charmcraft.yaml'))),
);

interface LintResult {
  name: string;
  result: string;
  check_type: string;
  text: string;
}

describe.skipIf(missing)('charmcraft analyse', () => {
  let out: string;
  const packed = new Map<string, PackedCharm[]>();

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'charm-pack-analyse-'));
    for (const dir of CHARM_DIRS) {
      // What `charm-typegen` writes before a charm's build (gitignored; a fresh clone lacks it).
      const generated = join(dir, 'src', 'charmcraft.generated.ts');
      if (existsSync(join(dir, 'package.json')) && !existsSync(generated)) {
        await writeFile(generated, typegen(await loadCharmcraft(dir)));
      }
      const charm = await packCharm({
        charmDir: dir,
        outDir: join(out, dir.split('/').pop() as string),
        nodeVersion: NODE_VERSION,
        cacheDir: defaultCacheDir(),
      });
      packed.set(dir, charm);
    }
  });
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it.each(CHARM_DIRS.map((dir) => [dir.slice(root.length + 1), dir]))(
    'finds no error in %s',
    (_, dir) => {
      const charms = packed.get(dir) ?? [];
      expect(charms.length).toBeGreaterThan(0);
      for (const charm of charms) {
        const run = spawnSync(CHARMCRAFT, ['analyse', '--format', 'json', charm.path], {
          encoding: 'utf8',
        });
        let results: LintResult[];
        try {
          results = JSON.parse(run.stdout) as LintResult[];
        } catch {
          throw new Error(`charmcraft analyse ${charm.path} printed no JSON:\n${run.stderr}`);
        }
        const failed = results
          .filter((r) => r.result === 'error' || r.result === 'fatal')
          .map((r) => `${r.name}: ${r.result}: ${r.text}`);
        expect(failed, charm.path).toEqual([]);
        // charmcraft exits 3 when the worst result is a warning (which may stay: e.g. the
        // gunicorn charm keeps the original's snake_case config names), 0 when there is none.
        const warned = results.some((r) => r.result === 'warning');
        expect(run.status, run.stderr).toBe(warned ? 3 : 0);
      }
    },
  );
});
