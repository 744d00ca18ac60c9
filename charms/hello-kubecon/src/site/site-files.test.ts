import { describe, expect, it } from 'vitest';
import { siteFiles } from './site-files.ts';

const f = (path: string) => ({ path, data: Buffer.from(path) });

describe('siteFiles', () => {
  it('strips the one top-level directory of a GitHub archive', () => {
    const out = siteFiles([f('test-site-master/index.html'), f('test-site-master/img/a.png')]);
    expect(out.map((x) => x.path)).toEqual(['index.html', 'img/a.png']);
  });

  it('keeps a flat site as it is', () => {
    expect(siteFiles([f('index.html'), f('a/b.css')]).map((x) => x.path)).toEqual([
      'index.html',
      'a/b.css',
    ]);
  });

  it('refuses an empty archive and one without index.html', () => {
    expect(() => siteFiles([])).toThrow('no files');
    expect(() => siteFiles([f('top/readme.md')])).toThrow(
      'no index.html at its top (nor under top/)',
    );
  });
});
