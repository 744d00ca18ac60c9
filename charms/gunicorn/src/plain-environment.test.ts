// The plain reader against the YAML reader it stands in for: on every text it takes, both must
// give the same environment; what it declines goes to YAML. And it must take what templates
// usually render, or it saves nothing.
import { describe, expect, it } from 'vitest';
import { readYamlEnvironment } from './environment-yaml.ts';
import { readPlainEnvironment } from './plain-environment.ts';

const VALUES = [
  '',
  'x',
  'hello world',
  '  padded  ',
  'postgresql://u:p%40x@10.0.0.5:5432/app?sslmode=require&application_name=web',
  'http://[fd00::1]:8080/a#frag',
  'a#b',
  'a #comment',
  'a: b',
  'a:b',
  'trailing:',
  'a,b',
  '[1, 2]',
  '{a: 1}',
  'x[0]',
  '0',
  '2',
  '-1',
  '+12',
  '1.50',
  '.5',
  '1e3',
  '1_000',
  '010',
  '0x1F',
  '0b101',
  '0o17',
  '.inf',
  '-.inf',
  '.nan',
  '190:20:30',
  '1:2',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-99-99',
  'y',
  'Y',
  'n',
  'yes',
  'No',
  'TRUE',
  'False',
  'on',
  'OFF',
  'oN',
  'null',
  'Null',
  'NULL',
  'nUll',
  '~',
  '~x',
  '<<',
  '=',
  'a=b',
  "'single'",
  "'it''s'",
  "''",
  "''''",
  "'''",
  "'a'b'",
  "'unterminated",
  '"double"',
  '""',
  '"with \'single\' inside"',
  '"esc\\n"',
  '"a"b"',
  '"unterminated',
  '"x" # c',
  "'x' # c",
  '- item',
  '-x',
  '? q',
  ': x',
  '*alias',
  '&anchor x',
  '!tag x',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  'tab\there',
  'é',
  '😀',
  'a\\b',
  'x  y',
];
const KEYS = ['A', 'DB_URI', 'a1', '_x', 'y', 'Yes', 'null', 'NULL_X', 'ON', 'key-dash', '1A', 'é'];
const DOCUMENTS = [
  '',
  '\n\n',
  '# a comment\nA: 1\n\n  # indented comment\nB: 2\n',
  'A: 1\nA: 2',
  'A: 1\n  B: 2',
  'A:\n  B: c',
  '---\nA: 1',
  'A: 1\n...',
  'A: 1\r\nB: 2',
  '%YAML 1.1\n---\nA: 1',
  '  A: 1',
  'A : 1',
  'A:1',
  'A:\tb',
  `${'K'.repeat(300)}: v`,
  '- a\n- b',
  'just text',
  '\uFEFFA: 1',
  'A: 1 # comment',
  'A: b\n#\nC: d',
];

function agree(text: string): 'plain' | 'yaml' {
  const plain = readPlainEnvironment(text);
  if (plain === undefined) return 'yaml';
  expect({ ok: true, environment: plain }, JSON.stringify(text)).toEqual(readYamlEnvironment(text));
  return 'plain';
}

describe('the plain environment reader', () => {
  it('gives what the YAML reader gives for every value it takes, and declines the rest', () => {
    const taken = new Set<string>();
    for (const value of VALUES) {
      if (agree(`A: ${value}`) === 'plain') taken.add(value);
      agree(`A:${value === '' ? '' : ' '}${value}\nB: x`);
    }
    // The values that matter are taken (booleans and nulls converted, numbers as written)...
    for (const value of ['x', 'hello world', VALUES[4], '2', '1.50', '0x1F', 'yes', '~', "'it''s'"])
      expect(taken, value).toContain(value);
    // ...and the ones YAML reads otherwise are not.
    for (const value of ['a #comment', 'a: b', '- item', '*alias', '"esc\\n"', 'tab\there'])
      expect(taken, value).not.toContain(value);
  });

  it('agrees on every key, and on whole documents', () => {
    for (const key of KEYS) agree(`${key}: v`);
    const declined = DOCUMENTS.filter((text) => agree(text) === 'yaml');
    expect(declined).toContain('A: 1\nA: 2');
    expect(readPlainEnvironment('# a comment\nA: 1\n\n  # indented comment\nB: 2\n')).toEqual({
      A: '1',
      B: '2',
    });
  });

  it('takes what a template of the original renders', () => {
    const rendered = [
      'DB_URI: postgresql://relation_id_7:pw%26x%20y@10.1.0.5:5432/gunicorn-k8s',
      'PGHOST: 10.1.0.5',
      `CONN: "dbname=gunicorn-k8s host=10.1.0.5 password='pw&x y' port=5432 user=relation_id_7"`,
      'DEBUG: yes',
      'WORKERS: 4',
      'EMPTY:',
      '',
    ].join('\n');
    expect(readPlainEnvironment(rendered)).toEqual({
      DB_URI: 'postgresql://relation_id_7:pw%26x%20y@10.1.0.5:5432/gunicorn-k8s',
      PGHOST: '10.1.0.5',
      CONN: "dbname=gunicorn-k8s host=10.1.0.5 password='pw&x y' port=5432 user=relation_id_7",
      DEBUG: 'true',
      WORKERS: '4',
      EMPTY: '',
    });
    agree(rendered);
  });
});
