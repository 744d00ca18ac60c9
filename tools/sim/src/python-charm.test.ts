import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { readCharmArchive } from './charm-archive.ts';
import { charmLibPath, packPythonCharm, pythonCharmProblem } from './python-charm.ts';

function charmSource(): string {
  const dir = tempDir('py-charm-src-');
  writeFileSync(
    join(dir, 'metadata.yaml'),
    'name: edge-provider\nprovides:\n  ingress:\n    interface: ingress\n',
  );
  writeFileSync(join(dir, 'actions.yaml'), 'show: {}\n');
  mkdirSync(join(dir, 'src', '__pycache__'), { recursive: true });
  writeFileSync(join(dir, 'src', 'charm.py'), 'import ops\n');
  writeFileSync(join(dir, 'src', '__pycache__', 'charm.cpython-311.pyc'), 'bytecode');
  return dir;
}

function libDir(): string {
  const dir = tempDir('py-charm-libs-');
  mkdirSync(join(dir, 'charms', 'traefik_k8s', 'v2'), { recursive: true });
  writeFileSync(join(dir, 'charms', 'traefik_k8s', 'v2', 'ingress.py'), 'LIBPATCH = 21\n');
  return dir;
}

describe('packPythonCharm', () => {
  it('lays the charm out as charmcraft does: lib/, dispatch 0755, manifest', () => {
    const out = tempDir('py-charm-out-');
    const venv = '/opt/test-venv';
    const file = packPythonCharm(charmSource(), {
      outDir: out,
      libs: ['charms.traefik_k8s.v2.ingress'],
      libDir: libDir(),
      venv,
      prepare: (dir) => writeFileSync(join(dir, 'src', 'extra.py'), 'x = 1\n'),
    });
    expect(file).toBe(join(out, 'edge-provider_ubuntu-22.04-amd64.charm'));
    const entries = new Map(readCharmArchive(readFileSync(file), file).map((e) => [e.name, e]));
    expect([...entries.keys()].sort()).toEqual([
      'actions.yaml',
      'dispatch',
      'lib/charms/traefik_k8s/v2/ingress.py',
      'manifest.yaml',
      'metadata.yaml',
      'src/charm.py',
      'src/extra.py',
    ]);
    const dispatch = entries.get('dispatch');
    expect(dispatch?.mode).toBe(0o755);
    expect(dispatch?.data.toString()).toBe(
      `#!/bin/sh\nJUJU_DISPATCH_PATH="\${JUJU_DISPATCH_PATH:-$0}" PYTHONPATH=lib:src exec ${venv}/bin/python3 ./src/charm.py\n`,
    );
    expect(entries.get('lib/charms/traefik_k8s/v2/ingress.py')?.data.toString()).toBe(
      'LIBPATCH = 21\n',
    );
  });

  it('names a missing library and the command that installs it', () => {
    expect(() =>
      packPythonCharm(charmSource(), {
        outDir: tempDir('py-charm-out-'),
        libs: ['charms.grafana_k8s.v0.grafana_source'],
        libDir: libDir(),
      }),
    ).toThrow(
      /edge-provider: charm library charms\.grafana_k8s\.v0\.grafana_source not found at .*grafana_source\.py: bash scripts\/install-test-deps\.sh/,
    );
  });

  it('refuses a charm without metadata or entry point, and a library that is no module name', () => {
    const empty = tempDir('py-charm-empty-');
    expect(() => packPythonCharm(empty, { outDir: empty })).toThrow('metadata.yaml');
    writeFileSync(join(empty, 'metadata.yaml'), 'name: x\n');
    expect(() => packPythonCharm(empty, { outDir: empty })).toThrow('src/charm.py not found');
    expect(() => charmLibPath('traefik_k8s.ingress')).toThrow('is not a module name');
  });
});

describe('pythonCharmProblem', () => {
  it('names a missing venv and a missing library, with the install command', () => {
    expect(pythonCharmProblem({ venv: '/nonexistent/venv' })).toBe(
      'the Python ops venv is missing (/nonexistent/venv): bash scripts/install-test-deps.sh',
    );
  });
});
