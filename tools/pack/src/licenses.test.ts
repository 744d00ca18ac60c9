import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCharm } from './bundle.ts';
import { bundledPackages, noticesText, packageRoot } from './licenses.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-licenses-'));
  const lib = join(dir, 'node_modules/@acme/tiny');
  await mkdir(lib, { recursive: true });
  await mkdir(join(dir, 'src'));
  await writeFile(
    join(lib, 'package.json'),
    JSON.stringify({ name: '@acme/tiny', version: '1.2.3', license: 'MIT', main: 'index.js' }),
  );
  await writeFile(join(lib, 'LICENSE'), 'MIT License\n\nCopyright (c) Acme\n');
  await writeFile(
    join(lib, 'index.js'),
    '/*! @license tiny (c) Acme, MIT */\nexports.twice = (n) => n * 2;\n',
  );
  await writeFile(
    join(dir, 'src/charm.ts'),
    "import { twice } from '@acme/tiny';\nconsole.log(twice(21));\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packageRoot', () => {
  it('finds the innermost package of a node_modules path', () => {
    expect(packageRoot('../../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml/dist/index.js')).toBe(
      '../../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml',
    );
    expect(packageRoot('node_modules/@scope/pkg/lib/a.js')).toBe('node_modules/@scope/pkg');
    expect(packageRoot('src/charm.ts')).toBeUndefined();
    expect(packageRoot('../../packages/ops/src/index.ts')).toBeUndefined();
  });
});

describe('bundled licence texts', () => {
  it('collects the licence file of every bundled package and the legal comments', async () => {
    const bundle = await bundleCharm({ charmDir: dir, entry: 'src/charm.ts', minify: false });
    const packages = await bundledPackages(dir, bundle.metafile);
    expect(packages).toEqual([
      {
        name: '@acme/tiny',
        version: '1.2.3',
        license: 'MIT',
        texts: [{ file: 'LICENSE', text: 'MIT License\n\nCopyright (c) Acme\n' }],
      },
    ]);
    const text = noticesText(packages, bundle.legalComments);
    expect(text).toContain('@acme/tiny 1.2.3 (MIT)\n----------------------\n\nMIT License');
    expect(text).toContain('@license tiny (c) Acme, MIT');
    expect(bundle.code.toString()).not.toContain('@license');
  });

  it('writes nothing when there is nothing to credit', () => {
    expect(noticesText([], '')).toBe('');
  });
});
