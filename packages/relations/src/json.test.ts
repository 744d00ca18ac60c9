import { describe, expect, it } from 'vitest';
import { pythonJson } from './json.ts';

// Expected texts are Python 3.11's `json.dumps(value)` for the same values.
describe('pythonJson', () => {
  it.each([
    ['demo', '"demo"'],
    ['é', '"\\u00e9"'],
    ['😀', '"\\ud83d\\ude00"'],
    ['a"b\\c\n\t\x7f\x01', '"a\\"b\\\\c\\n\\t\\u007f\\u0001"'],
    [8080, '8080'],
    [-0, '0'],
    [0.5, '0.5'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [123.456, '123.456'],
    [-2.5, '-2.5'],
    [1 / 3, '0.3333333333333333'],
    [true, 'true'],
    [null, 'null'],
    [[], '[]'],
    [{}, '{}'],
    [[1, 'a'], '[1, "a"]'],
    [{ path: '/', port: 80 }, '{"path": "/", "port": 80}'],
  ] as const)('encodes %j as json.dumps does', (value, text) => {
    expect(pythonJson(value)).toBe(text);
  });

  it('keeps key order and leaves out undefined properties', () => {
    expect(pythonJson({ b: 1, a: undefined, c: { z: null } })).toBe('{"b": 1, "c": {"z": null}}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => pythonJson(Number.NaN)).toThrow('cannot encode NaN as JSON');
    expect(() => pythonJson(Number.POSITIVE_INFINITY)).toThrow('Infinity');
  });
});
