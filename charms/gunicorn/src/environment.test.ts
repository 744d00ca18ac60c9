import { Status } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { readEnvironment, renderEnvironment, type TemplateContext } from './environment.ts';
import { parseTemplate } from './template.ts';

const ENDPOINTS = ['influxdb', 'ingress', 'metrics-endpoint', 'pg'];
const PG = {
  db_uri: 'postgresql://u:p@10.0.0.5:5432/app?sslmode=require&application_name=web',
  host: '10.0.0.5',
  port: '5432',
};
const related = (...names: string[]) => ({ endpoints: ENDPOINTS, related: new Set(names) });
const render = (source: string, context: TemplateContext = { pg: PG }, rel = related('pg')) =>
  renderEnvironment(source, context, rel);

describe('rendering the environment', () => {
  it('renders relation data into a mapping, a URI with & unchanged (no HTML escaping)', async () => {
    expect(await render('DB_URI: {{pg.db_uri}}\nDEBUG_LEVEL: 2\nNAME: "<app>"')).toEqual({
      ok: true,
      environment: { DB_URI: PG.db_uri, DEBUG_LEVEL: '2', NAME: '<app>' },
    });
  });

  it('is empty for an empty template', async () => {
    expect(await render('')).toEqual({ ok: true, environment: {} });
    expect(await render('  \n')).toEqual({ ok: true, environment: {} });
    expect(await render('{% if false %}A: b{% endif %}')).toEqual({ ok: true, environment: {} });
  });

  it("gives values as the original's environment got them: booleans true/false, nulls empty, numbers as written", async () => {
    expect(await render('A: yes\nB: 1.50\nC:\nD: ~\nE: 0x1F\nF: "007"\nG: no')).toEqual({
      ok: true,
      environment: { A: 'true', B: '1.50', C: '', D: '', E: '0x1F', F: '007', G: 'false' },
    });
  });

  it("blocks with the original's text for every missing relation, sorted", async () => {
    expect(await render('A: {{pg.db_uri}}\nB: {{influxdb.hostname}}', {}, related())).toEqual({
      ok: false,
      status: Status.blocked('Waiting for influxdb, pg relation(s)'),
    });
    expect(
      await render('A: {{pg.db_uri}}\nB: {{influxdb.hostname}}', { pg: PG }, related('pg')),
    ).toEqual({ ok: false, status: Status.blocked('Waiting for influxdb relation(s)') });
  });

  it('waits for data on a relation that is there but has not answered', async () => {
    expect(await render('A: {{pg.db_uri}}', {}, related('pg'))).toEqual({
      ok: false,
      status: Status.waiting('Waiting for data on the pg relation(s)'),
    });
  });

  it('waits for a key that is not there yet, where Jinja2 would render an empty string', async () => {
    expect(await render('A: {{pg.version}}')).toEqual({
      ok: false,
      status: Status.waiting('Waiting for pg.version from the pg relation'),
    });
    expect(await render("A: {{ pg['read-only'] ~ '/x' }}")).toEqual({
      ok: false,
      status: Status.waiting("Waiting for pg['read-only'] from the pg relation"),
    });
    // Guarded uses are fine, as in Jinja2.
    expect(
      await render("A: {{ pg.version | default('14') }}\nB: {{ pg.version is defined }}"),
    ).toEqual({
      ok: true,
      environment: { A: '14', B: 'false' },
    });
  });

  it('blocks on a name that is no relation of the charm', async () => {
    expect(await render('A: {{pgsql.db_uri}}')).toEqual({
      ok: false,
      status: Status.blocked(
        'environment names pgsql, which is not a relation of this charm (influxdb, ingress, metrics-endpoint, pg)',
      ),
    });
  });

  it('blocks on a template it cannot read, saying why', async () => {
    const result = await render('A: {{ pg.db_uri ');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.status.status).toBe('blocked');
    expect(!result.ok && result.status.message).toMatch(
      /^environment is not a valid Jinja2 template: /,
    );
    expect(await render('{% if pg %}A: b')).toEqual({
      ok: false,
      status: Status.blocked(
        'environment is not a valid Jinja2 template: unexpected end of the template (a block not closed?)',
      ),
    });
    expect(await render('A: {{ pg.host | urlencode }}')).toEqual({
      ok: false,
      status: Status.blocked(
        'environment cannot be rendered: Unknown StringValue filter: urlencode',
      ),
    });
  });

  it('blocks on YAML it cannot read, with the line and column and without the text', async () => {
    const result = await render('A: 1\nDB: {{pg.db_uri}}: x');
    expect(result).toEqual({
      ok: false,
      status: Status.blocked(
        'environment is not valid YAML once rendered: Nested mappings are not allowed in compact mappings (line 2, column 5)',
      ),
    });
    expect(JSON.stringify(result)).not.toContain('postgresql');
    expect(await readEnvironment('A: 1\nA: 2')).toEqual({
      ok: false,
      status: Status.blocked(
        'environment is not valid YAML once rendered: Map keys must be unique (line 2, column 1)',
      ),
    });
  });

  it('blocks on YAML that is not a mapping of names to scalars', async () => {
    expect(await readEnvironment('- a\n- b')).toEqual({
      ok: false,
      status: Status.blocked('environment must render to a YAML mapping (NAME: value), not a list'),
    });
    expect(await readEnvironment('just text')).toEqual({
      ok: false,
      status: Status.blocked(
        'environment must render to a YAML mapping (NAME: value), not a string',
      ),
    });
    expect(await readEnvironment('A:\n  B: c')).toEqual({
      ok: false,
      status: Status.blocked(
        'environment: the value of A must be a string, number or boolean, not a mapping',
      ),
    });
    expect(await readEnvironment('"A=B": c')).toEqual({
      ok: false,
      status: Status.blocked(
        "environment: a variable name must be a non-empty string without '=', not a string",
      ),
    });
  });
});

describe('template analysis', () => {
  it("lists the context names a template reads, as Jinja2's find_undeclared_variables", () => {
    const template = parseTemplate(
      '{% set base = pg.db_uri %}{% for k, v in influxdb.items() %}{{ k }}{{ loop.index }}{% endfor %}' +
        '{% macro m(x, y=ingress.url) %}{{ x }}{% endmacro %}{{ base | default(none) }}{{ range(2) }}',
    );
    expect(template.variables).toEqual(['influxdb', 'ingress', 'pg']);
  });
});
