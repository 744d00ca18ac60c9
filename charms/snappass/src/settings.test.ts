import { describe, expect, it } from 'vitest';
import type { Config } from './charmcraft.generated.ts';
import { isProblem, readSettings } from './settings.ts';

const config = (over: Partial<Config> = {}): Config => ({
  'no-ssl': false,
  'url-prefix': '',
  'host-override': '',
  ...over,
});

describe('readSettings', () => {
  it('defaults: https links, no prefix, no host override', () => {
    expect(readSettings(config())).toEqual({ noSsl: false, urlPrefix: '', hostOverride: '' });
  });

  it.each([
    ['/snappass', 'snappass'],
    ['snappass/', 'snappass'],
    ['  /a/b-c.d_e~f/ ', 'a/b-c.d_e~f'],
    ['/', ''],
  ])('accepts url-prefix %j as %j', (prefix, expected) => {
    expect(readSettings(config({ 'url-prefix': prefix }))).toMatchObject({ urlPrefix: expected });
  });

  it.each(['/a b', '/a//b', '/a?x=1', '/a#b', '/caf\u00e9', '/a%20b'])(
    'refuses url-prefix %j, naming the key',
    (prefix) => {
      const result = readSettings(config({ 'url-prefix': prefix }));
      expect(isProblem(result)).toBe(true);
      expect(result).toMatchObject({ key: 'url-prefix' });
      expect((result as { message: string }).message).toContain(
        `url-prefix ${JSON.stringify(prefix)} is not a URL path`,
      );
    },
  );

  it.each(['secrets.example.com', 'localhost:8443', '10.0.0.1', 'a-b.c'])(
    'accepts host-override %j',
    (host) => {
      expect(readSettings(config({ 'host-override': host }))).toMatchObject({
        hostOverride: host,
      });
    },
  );

  it.each([
    'https://x.example',
    'x.example/path',
    'x.example:0',
    'x.example:70000',
    '-x.example',
    'x..example',
    'a b',
    'x.example:',
  ])('refuses host-override %j, naming the key', (host) => {
    const result = readSettings(config({ 'host-override': host }));
    expect(result).toMatchObject({ key: 'host-override' });
  });

  it('reports url-prefix before host-override', () => {
    const result = readSettings(config({ 'url-prefix': 'a b', 'host-override': 'a b' }));
    expect(result).toMatchObject({ key: 'url-prefix' });
  });

  it('passes no-ssl through', () => {
    expect(readSettings(config({ 'no-ssl': true }))).toMatchObject({ noSsl: true });
  });
});
