import { craftZip } from '@charm-ts/zip/testing';
import { describe, expect, it } from 'vitest';
import { siteContent } from './site-content.ts';

const URL = 'http://user:pw@sites.test/site';
const got = (body: Buffer | string, mediaType = '') => ({ body: Buffer.from(body), mediaType });

describe('siteContent', () => {
  it('knows a zip by its first bytes, whatever the server calls it', () => {
    const archive = craftZip([{ name: 'index.html', data: '<h1>zip</h1>' }]);
    expect(siteContent(got(archive, 'text/html'), URL)).toMatchObject({
      kind: 'zip',
      files: [{ path: 'index.html' }],
    });
    // An empty archive starts with the end record: a zip, and refused as one.
    expect(() => siteContent(got(craftZip([])), URL)).toThrow('the archive holds no files');
  });

  it('installs a page as index.html, as the original did', () => {
    for (const type of ['text/html', 'application/xhtml+xml', 'text/plain', '']) {
      expect(siteContent(got('<p>é</p>', type), URL)).toEqual({
        kind: 'page',
        files: [{ path: 'index.html', data: Buffer.from('<p>é</p>') }],
      });
    }
  });

  it('refuses binary data and other types, naming what came (without credentials)', () => {
    expect(() => siteContent(got(Buffer.from([0xff, 0xfe, 0x00])), URL)).toThrow(
      'http://sites.test/site answered binary data: site-url must point at a zip archive of the site or at an HTML page',
    );
    expect(() => siteContent(got('{"a": 1}', 'application/json'), URL)).toThrow(
      'answered application/json:',
    );
    expect(() => siteContent(got('a\x01b'), URL)).toThrow('answered binary data');
    expect(() => siteContent(got(''), URL)).toThrow('answered an empty body');
  });
});
