// Templates against Jinja2 itself: every case is rendered by Jinja2 3.1 (autoescape off, as the
// original's first sidecar version rendered) in the Python venv and by ours; the outputs must be
// the same. What the library does not do is listed with the difference, and checked too, so a
// library upgrade that closes a gap shows up here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPythonVenv } from '@charm-ts/sim';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from './template.ts';

const PYTHON = join(defaultPythonVenv(), 'bin', 'python3');
const INSTALL = 'bash scripts/install-test-deps.sh (jinja2==3.1.6 in the ops venv)';
const problem = !existsSync(PYTHON)
  ? `${PYTHON} is missing: ${INSTALL}`
  : (() => {
      try {
        execFileSync(PYTHON, ['-c', 'import jinja2'], { stdio: 'pipe' });
        return undefined;
      } catch {
        return `jinja2 is not in ${PYTHON}: ${INSTALL}`;
      }
    })();
if (problem && process.env.CI) throw new Error(`the Jinja2 comparison cannot run: ${problem}`);

const CONTEXT = {
  pg: {
    db_uri:
      'postgresql://u:p%40ss@10.0.0.5:5432/app?sslmode=require&target_session_attrs=read-write',
    host: '10.0.0.5',
    port: '5432',
    database: 'app',
    ro_uris: '',
  },
  q: { uri: 'http://x/?a=1&b=<2>' },
  influxdb: { hostname: 'influx-0', port: '8086' },
  items: ['a', 'b', 'c'],
  flag: true,
  nothing: null,
  users: [
    { name: 'ann', active: true },
    { name: 'bob', active: false },
  ],
};

/** Templates users write for `environment`, and the Jinja2 they lean on. */
const SAME: Record<string, string> = {
  plain: 'DB_URI: {{pg.db_uri}}',
  quoted: 'DB_URI: "{{ pg.db_uri }}"',
  'no HTML escaping': 'U: {{ q.uri }}',
  subscript: "U: {{ pg['db_uri'] }}",
  concat: "H: {{ pg.host ~ ':' ~ pg.port }}",
  plus: "H: {{ pg.host + ':' + pg.port }}",
  default: "H: {{ pg.nope | default('localhost') }}",
  upper: 'N: {{ pg.database | upper }}',
  replace: "U: {{ pg.db_uri | replace('postgresql://', 'postgres://') }}",
  if: '{% if pg.ro_uris %}RO: {{ pg.ro_uris }}{% else %}RO: none{% endif %}',
  'inline if': "X: {{ 'yes' if pg.host else 'no' }}",
  'for over items()':
    '{% for k, v in influxdb.items() %}INFLUX_{{ k | upper }}: {{ v }}\n{% endfor %}',
  dictsort: '{% for k, v in influxdb|dictsort %}{{ k }}={{ v }};{% endfor %}',
  comment: '{# a comment #}A: b',
  'whitespace control': 'A: {%- if true %} b{%- endif %}',
  'a block tag keeps its newline': 'A: {% if flag %}1{% endif %}\nB: 2',
  'block lines stay': 'A: 1\n{% if true %}\nB: 2\n{% endif %}\nC: 3',
  'one trailing newline dropped': 'A: b\n',
  set: '{% set base = pg.db_uri %}URI: {{ base }}',
  int: 'P: {{ pg.port | int + 1 }}',
  length: 'L: {{ pg.host | length }}',
  join: "J: {{ items | join(',') }}",
  'is defined': 'D: {{ pg.nope is defined }}',
  'True printed': 'B: {{ flag }}',
  'None printed': 'N: {{ nothing }}',
  'list printed': 'L: {{ items }}',
  'dict printed': 'D: {{ influxdb }}',
  split: "S: {{ pg.db_uri.split('@')[1] }}",
  trim: "T: '{{ '  x  ' | trim }}'",
  title: "T: {{ 'hello world' | title }}",
  lower: "T: {{ 'ABC' | lower }}",
  startswith: "S: {{ pg.db_uri.startswith('postgresql') }}",
  tojson: 'J: {{ pg.host | tojson }}',
  macro: "{% macro v(n) %}V_{{ n }}{% endmacro %}A: {{ v('x') }}",
  'filter block': '{% filter upper %}a: b{% endfilter %}',
  math: 'M: {{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 3 }} {{ 7 / 2 }}',
  loop: '{% for i in items %}{{ loop.index }}{{ i }} {% endfor %}',
  in: "I: {{ 'b' in items }}",
  not: 'N: {{ not flag }}',
  unicode: "U: {{ 'é😀' }}",
  'first and last': 'F: {{ items | first }} {{ items | last }}',
  capitalize: "C: {{ 'hello' | capitalize }}",
  string: 'S: {{ pg.port | string }}',
  sort: "S: {{ ['c','a','b'] | sort | join }}",
  indent: "I: |\n  {{ 'a\nb' | indent(2) }}",
  namespace:
    '{% set ns = namespace(n=0) %}{% for i in items %}{% set ns.n = ns.n + 1 %}{% endfor %}N: {{ ns.n }}',
  'dict literal': "D: {{ {'a': 1}['a'] }}",
  elif: '{% if false %}a{% elif true %}b{% endif %}',
  selectattr: "S: {{ users | selectattr('active') | map(attribute='name') | join(',') }}",
  float: "F: {{ '1.5' | float }}",
  abs: 'A: {{ -3 | abs }}',
  get: "G: {{ pg.get('host') }}",
  keys: "K: {{ influxdb.keys() | sort | join(',') }}",
  range: '{% for i in range(1, 7, 2) %}{{ i }}{% endfor %}',
};

/** What @huggingface/jinja 0.5 does not do as Jinja2 does, and what it does instead. */
const DIFFERENT: Record<string, { template: string; ours: RegExp | string }> = {
  '{% raw %} blocks': {
    template: '{% raw %}X: {{ not rendered }}{% endraw %}',
    ours: /Unknown statement type: raw/,
  },
  "Python's % formatting": { template: "F: {{ '%s:%s' % (pg.host, pg.port) }}", ours: /%/ },
  'the format filter': { template: "F: {{ '%s-%d' | format('a', 3) }}", ours: /format/ },
  'the urlencode filter': { template: "U: {{ 'a b&c' | urlencode }}", ours: /urlencode/ },
  'the e (escape) filter': { template: 'E: {{ q.uri | e }}', ours: /filter: e/ },
  'the center, wordcount and batch filters': {
    template: "C: [{{ 'a' | center(5) }}]",
    ours: /center/,
  },
  'round on a float': { template: 'R: {{ 2.567 | round(1) }}', ours: /round/ },
  'booleans inside expressions': { template: "X: {{ 'x' ~ flag }}", ours: 'X: xtrue' },
};

let jinja2: Record<string, { ok?: string; error?: string }>;
function reference(): typeof jinja2 {
  const templates = {
    ...SAME,
    ...Object.fromEntries(Object.entries(DIFFERENT).map(([k, v]) => [k, v.template])),
  };
  jinja2 ??= JSON.parse(
    execFileSync(
      PYTHON,
      [
        '-c',
        `
import json, sys, jinja2
cases = json.load(sys.stdin)
env = jinja2.Environment(loader=jinja2.BaseLoader(), autoescape=False)
out = {}
for name, source in cases["templates"].items():
    try:
        out[name] = {"ok": env.from_string(source).render(**cases["context"])}
    except Exception as e:
        out[name] = {"error": type(e).__name__}
print(json.dumps(out))
`,
      ],
      { encoding: 'utf8', input: JSON.stringify({ templates, context: CONTEXT }) },
    ),
  );
  return jinja2;
}

function ours(source: string): { ok?: string; error?: string } {
  try {
    return { ok: parseTemplate(source).render(CONTEXT) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe.skipIf(problem)(
  `templates against Jinja2${problem ? ` (skipped: ${problem})` : ''}`,
  () => {
    it.each(Object.entries(SAME))('%s renders as Jinja2 renders it', (name, source) => {
      const want = reference()[name];
      expect(want?.ok, `Jinja2 failed on ${name}: ${want?.error}`).toBeDefined();
      expect(ours(source)).toEqual({ ok: want?.ok });
    });

    it.each(Object.entries(DIFFERENT))('known difference: %s', (name, { template, ours: got }) => {
      const want = reference()[name];
      expect(want?.ok, `Jinja2 renders ${name}`).toBeDefined();
      const result = ours(template);
      expect(result.ok, `${name} now renders as Jinja2: move it to SAME`).not.toBe(want?.ok);
      expect(result.ok ?? result.error).toMatch(got);
    });
  },
);
