import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, type State, status } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { charmFixtures, PAGE } from '../test/charm-fixtures.ts';
import { HelloKubeconCharm } from './hello-kubecon.ts';

const ctx = new Context(HelloKubeconCharm);
const fx = charmFixtures();

/** A unit that fetched the HTML page on install, with site-url now at `path`. */
async function installed(path: string): Promise<State> {
  const out = await ctx.run(ctx.on.install(), fx.base());
  expect(fx.site()).toBe(PAGE);
  return { ...out, config: { ...out.config, 'site-url': `${fx.server().url}${path}` } };
}

describe('pull-site', () => {
  it('downloads a zip, unpacks it atomically and reports what it installed', async () => {
    const out = await ctx.run(ctx.on.action('pull-site'), await installed('/site.zip'));
    expect(ctx.action?.failure).toBeUndefined();
    expect(ctx.action?.results).toMatchObject({
      result: 'site pulled',
      kind: 'zip',
      files: '2',
      url: `${fx.server().url}/site.zip`,
    });
    expect(fx.site()).toBe('<h1>Hello KubeCon</h1>');
    expect(readFileSync(join(fx.root(), 'site', 'css', 'site.css'), 'utf8')).toBe('h1{}');
    expect(readdirSync(join(fx.root(), 'releases'))).toEqual([ctx.action?.results.release]);
    expect(ctx.unitStatusHistory).toContainEqual(status.maintenance('Fetching web site'));
    expect(out.unitStatus).toEqual(status.active(''));
  });

  it.each([
    ['/demo-site', PAGE],
    ['/notes.txt', 'just text\n'],
    ['/untyped-page', '<p>untyped</p>\n'],
  ])('installs a page (%s) as index.html', async (path, body) => {
    const input = await installed('/site.zip');
    await ctx.run(ctx.on.action('pull-site'), input);
    const config = { ...input.config, 'site-url': `${fx.server().url}${path}` };
    await ctx.run(ctx.on.action('pull-site'), { ...input, config });
    expect(ctx.action?.failure).toBeUndefined();
    expect(ctx.action?.results).toMatchObject({ kind: 'page', files: '1' });
    expect(fx.site()).toBe(body);
    // The zip's other files went with its release: the page is the whole site.
    expect(readdirSync(join(fx.root(), 'site'))).toEqual(['index.html']);
  });

  it.each([
    ['/gone', {}, 'answered HTTP 404'],
    ['/slow', { timeout: 0.05 }, 'did not answer in full within 0.05 s'],
    ['/corrupt.zip', {}, 'fails its CRC-32 check'],
    ['/escape.zip', {}, "escapes the site with '..'"],
    ['/symlink.zip', {}, 'is a symlink'],
    ['/long-name.zip', {}, 'cannot write the site into'],
    [
      '/logo.png',
      {},
      'answered image/png: site-url must point at a zip archive of the site or at an HTML page',
    ],
    ['/blob', {}, 'answered application/octet-stream: site-url must point'],
    ['/fake.html', {}, 'answered text/html with binary bytes'],
    ['/empty', {}, 'answered an empty body'],
  ])(
    'fails on %s with a clear message and keeps the current site',
    async (path, params, message) => {
      const input = await installed(path);
      const out = await ctx.run(ctx.on.action('pull-site', params), input);
      expect(ctx.action?.failure).toContain(message);
      expect(ctx.action?.failure).toMatch(/\(the current site is unchanged\)$/);
      expect(fx.site()).toBe(PAGE);
      expect(readdirSync(fx.root()).sort()).toEqual(['releases', 'site']);
      expect(out.unitStatus).toEqual(status.active(''));
    },
  );

  it('fails on a site-url that is not http(s), before any download', async () => {
    const input = await installed('/site.zip');
    const config = { ...input.config, 'site-url': 'ftp://example.com/x.zip' };
    const requests = fx.server().requests.length;
    await ctx.run(ctx.on.action('pull-site'), { ...input, config });
    expect(ctx.action?.failure).toContain('site-url must be an http or https URL');
    expect(fx.server().requests.length).toBe(requests);
  });
});
