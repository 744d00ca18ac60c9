// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the inputs are TypeScript source text
import { describe, expect, it } from 'vitest';
import { type FileKind, protectedSpans, type Rename, renamePath, renameText } from './rename.ts';

const snappass: Rename = { from: 'snappass', to: 'vault-pass', keep: [] };
const kubecon: Rename = { from: 'hello-kubecon', to: 'my-site', keep: ['ingress'] };
const r = (text: string, kind: FileKind, rename: Rename) => renameText(text, kind, rename).text;

describe('renameText', () => {
  it('keeps the spelling of each occurrence: kebab, snake, Pascal, camel, CONSTANT, Title', () => {
    const text =
      'hello-kubecon hello_kubecon HelloKubecon helloKubecon HELLO_KUBECON Hello KubeCon';
    expect(r(text, 'text', kubecon)).toBe('my-site my_site MySite mySite MY_SITE My Site');
  });

  it('renames inside compounds at word or case boundaries, not inside other words', () => {
    const text =
      "SnappassCharm snappassLayer mySnappass 'snappass-image' SNAPPASS_PORT snappassword";
    expect(r(text, 'code', snappass)).toBe(
      "VaultPassCharm vaultPassLayer myVaultPass 'vault-pass-image' VAULT_PASS_PORT snappassword",
    );
  });

  it('renames after an escape sequence in a string (a newline before the name), not after other letters', () => {
    expect(r("print(f'\\nsnappass: up in {t} s\\tsnappass')", 'python', snappass)).toBe(
      "print(f'\\nvault-pass: up in {t} s\\tvault-pass')",
    );
    expect(r("'nsnappass \\\\nsnappass'", 'python', snappass)).toBe("'nsnappass \\\\nsnappass'");
  });

  it('spells a one-word name as text in strings and comments, as an identifier in code', () => {
    const code = [
      '// the snappass service',
      "const snappass = this.unit.container('snappass');",
      'const layer = { services: { snappass: { command: `snappass --port ${port}` } } };',
      'plan.services.snappass?.environment; plan.services?.snappass;',
      'type T = { snappass?: string; redis: string; snappass2: number };',
      'const snappass_port = 1; const re = /snappass[0-9a-f]{32}/;',
    ].join('\n');
    expect(r(code, 'code', snappass)).toBe(
      [
        '// the vault-pass service',
        "const vaultPass = this.unit.container('vault-pass');",
        "const layer = { services: { 'vault-pass': { command: `vault-pass --port ${port}` } } };",
        "plan.services['vault-pass']?.environment; plan.services?.['vault-pass'];",
        "type T = { 'vault-pass'?: string; redis: string; snappass2: number };",
        'const vault_pass_port = 1; const re = /vault-pass[0-9a-f]{32}/;',
      ].join('\n'),
    );
  });

  it('keeps the charm name in a .charm file name and an id, with its hyphens', () => {
    expect(r('dist/snappass_ubuntu-22.04-amd64.charm', 'text', snappass)).toBe(
      'dist/vault-pass_ubuntu-22.04-amd64.charm',
    );
    expect(r('const uid = `juju_${model}_snappass`;', 'code', snappass)).toBe(
      'const uid = `juju_${model}_vault-pass`;',
    );
  });

  it('leaves names imported from packages, kept tokens, charm library paths and prose URLs', () => {
    const rename: Rename = {
      from: 'grafana',
      to: 'dash',
      keep: ['grafana-source', 'grafana_datasource'],
    };
    const code = [
      "import { GrafanaSourceRequirer } from '@charm-ts/relations';",
      'new GrafanaSourceRequirer(this); class GrafanaCharm {}',
      "const ep = 'grafana-source'; const i = 'grafana_datasource'; const c = 'grafana';",
      "const lib = 'charms.grafana_k8s.v0.grafana_source';",
    ].join('\n');
    expect(r(code, 'code', rename)).toBe(
      [
        "import { GrafanaSourceRequirer } from '@charm-ts/relations';",
        'new GrafanaSourceRequirer(this); class DashCharm {}',
        "const ep = 'grafana-source'; const i = 'grafana_datasource'; const c = 'dash';",
        "const lib = 'charms.grafana_k8s.v0.grafana_source';",
      ].join('\n'),
    );
    expect(r('See [Grafana](https://github.com/grafana/grafana).', 'text', rename)).toBe(
      'See [Dash](https://github.com/grafana/grafana).',
    );
    // In code a URL is built from the app's name: renamed.
    expect(r('`http://gw.example/model-grafana`', 'code', rename)).toBe(
      '`http://gw.example/model-dash`',
    );
  });

  it('leaves Python imports and the names they bring', () => {
    const py =
      'from charms.grafana_k8s.v0.grafana_source import GrafanaSourceProvider\nGrafanaSourceProvider(self)\nname = "grafana"';
    expect(r(py, 'python', { from: 'grafana', to: 'dash', keep: [] })).toBe(
      'from charms.grafana_k8s.v0.grafana_source import GrafanaSourceProvider\nGrafanaSourceProvider(self)\nname = "dash"',
    );
  });

  it('counts what it replaced', () => {
    const out = renameText('gunicorn-k8s and GUNICORN_K8S', 'text', {
      from: 'gunicorn-k8s',
      to: 'web-app',
      keep: [],
    });
    expect(out).toEqual({ text: 'web-app and WEB_APP', replaced: 2 });
  });

  it('lexes template literals with nested code and strings', () => {
    const code = 'const a = `x/${f(`snappass`)}/snappass`; const b = snappass; // snappass';
    expect(r(code, 'code', snappass)).toBe(
      'const a = `x/${f(`vault-pass`)}/vault-pass`; const b = vaultPass; // vault-pass',
    );
  });
});

describe('protectedSpans', () => {
  it('covers the whole import statement of a package, not a relative one', () => {
    const text = "import { A } from 'pkg';\nimport { B } from './b.ts';\n";
    const spans = protectedSpans(text, 'code', []);
    expect(spans).toContainEqual([0, text.indexOf(';')]);
    expect(spans.some(([s]) => s === text.indexOf('import { B }'))).toBe(false);
  });
});

describe('renamePath', () => {
  it('renames each path segment', () => {
    expect(renamePath('src/snappass-charm.ts', snappass)).toBe('src/vault-pass-charm.ts');
    expect(renamePath('e2e/hello-kubecon.test.ts', kubecon)).toBe('e2e/my-site.test.ts');
  });
});
