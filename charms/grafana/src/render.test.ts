import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toIni, toYaml } from './render.ts';

describe('toYaml', () => {
  const cases: unknown[] = [
    { apiVersion: 1, datasources: [], deleteDatasources: [{ name: 'a', orgId: 1 }] },
    { l: [{ x: 1, y: { z: [1, { q: 2 }] } }, 'Str', [], {}], e: [], m: {} },
    // Strings YAML would read as other types, or that need escapes, stay strings.
    { s: ['true', 'null', '1e3', '0o17', '~', 'yes', '- x', '# c', 'a: b', 'é "q" \\ \n\t', ''] },
    { true: 1, null: 2, 'with space': 3, 'a:b': 4, _ok: 5, ünï: 6 },
    { n: [0, -1, 0.5, 1e-7, 12345678901234], b: [true, false], z: null },
  ];

  it.each(cases)('a YAML parser reads back exactly what was written: %j', (value) => {
    expect(parse(toYaml(value as never))).toEqual(value);
  });

  it('is deterministic and block-styled', () => {
    expect(toYaml({ a: [{ b: 'c', d: { e: 1 } }], f: 'g' })).toBe(
      'a:\n  - b: "c"\n    d:\n      e: 1\nf: "g"\n',
    );
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => toYaml({ n: Number.NaN })).toThrow('cannot write NaN in YAML');
  });
});

describe('toIni', () => {
  it('writes sections in order, quotes what Grafana would cut', () => {
    expect(
      toIni('header', [
        {
          name: 'security',
          keys: [
            ['admin_password', 'p#ss;word'],
            ['skip', undefined],
          ],
        },
        {
          name: 'database',
          keys: [
            ['password', ' spaced '],
            ['port', 5432],
            ['ok', 'plain-Value_1'],
          ],
        },
      ]),
    ).toBe(
      '; header\n\n[security]\nadmin_password = """p#ss;word"""\n\n[database]\npassword = """ spaced """\nport = 5432\nok = plain-Value_1\n',
    );
  });

  it('refuses what no quoting can carry', () => {
    expect(() => toIni('', [{ name: 's', keys: [['k', 'a\nb']] }])).toThrow(
      `the value of 'k' cannot be written in an INI file (a newline or """)`,
    );
  });
});
