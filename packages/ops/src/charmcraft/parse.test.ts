import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharmcraftError } from '../errors.ts';
import { loadCharmcraft, parseCharmcraft } from './parse.ts';

const FULL = `
name: demo
type: charm
title: Demo
summary: A demo charm.
description: |
  Longer text.
links:
  documentation: https://example.com/docs
  issues: https://example.com/issues
  source: [https://example.com/src]
base: ubuntu@22.04
platforms:
  amd64:
  ubuntu@24.04:arm64:
parts:
  charm:
    plugin: nil
assumes:
  - k8s-api
  - any-of: [juju >= 3.4, juju >= 4.0]
containers:
  redis:
    resource: redis-image
    mounts:
      - {storage: data, location: /data}
resources:
  redis-image: {type: oci-image, description: Redis, upstream-source: redis:7}
  blob: {type: file, filename: blob.tar}
requires:
  db: {interface: postgresql_client, limit: 1}
provides:
  metrics: prometheus_scrape
peers:
  cluster: {interface: demo_peers}
storage:
  data: {type: filesystem, location: /var/data, multiple: {range: 1-3}}
extra-bindings:
  public:
config:
  options:
    port: {type: int, default: 8080, description: Port.}
    ratio: {type: float, default: 0.5}
    debug: {type: boolean, default: false}
    name: {type: string}
    password: {type: secret}
actions:
  pull-site:
    description: Pull a site.
    params:
      url: {type: string}
      depth: {type: integer, default: 1}
    required: [url]
    additionalProperties: false
charm-user: non-root
`;

describe('parseCharmcraft', () => {
  it('reads every section of a full file', () => {
    const meta = parseCharmcraft(FULL, 'charmcraft.yaml');
    expect(meta.name).toBe('demo');
    expect(meta.title).toBe('Demo');
    expect(meta.bases).toEqual([
      { name: 'ubuntu', channel: '22.04', architectures: ['amd64'] },
      { name: 'ubuntu', channel: '24.04', architectures: ['arm64'] },
    ]);
    expect(meta.containers.redis).toEqual({
      resource: 'redis-image',
      mounts: [{ storage: 'data', location: '/data' }],
    });
    expect(meta.endpoints.requires.db).toEqual({ interface: 'postgresql_client', limit: 1 });
    expect(meta.endpoints.provides.metrics).toEqual({ interface: 'prometheus_scrape' });
    expect(meta.endpoints.peers.cluster).toEqual({ interface: 'demo_peers' });
    expect(meta.storage.data).toEqual({
      type: 'filesystem',
      location: '/var/data',
      multipleRange: '1-3',
    });
    expect(meta.resources.blob).toEqual({ type: 'file', filename: 'blob.tar' });
    expect(meta.config.port).toEqual({ type: 'int', default: 8080, description: 'Port.' });
    expect(meta.config.name).toEqual({ type: 'string' });
    expect(meta.actions['pull-site']?.required).toEqual(['url']);
    expect(meta.actions['pull-site']?.additionalProperties).toBe(false);
    expect(meta.extraBindings).toEqual(['public']);
    expect(meta.charmUser).toBe('non-root');
    expect(meta.assumes).toHaveLength(2);
    expect(meta.document.name).toBe('demo');
    expect((meta.document.config as { options: object }).options).toHaveProperty('port');
  });

  it('accepts the older bases form, with run-on', () => {
    const meta = parseCharmcraft(
      `name: a
summary: s
description: d
bases:
  - build-on: [{name: ubuntu, channel: "22.04"}]
    run-on: [{name: ubuntu, channel: "22.04", architectures: [amd64, arm64]}]
  - {name: ubuntu, channel: "20.04"}
`,
      'x.yaml',
    );
    expect(meta.bases).toEqual([
      { name: 'ubuntu', channel: '22.04', architectures: ['amd64', 'arm64'] },
      { name: 'ubuntu', channel: '20.04', architectures: ['amd64'] },
    ]);
  });

  const HEAD = 'name: a\nsummary: s\ndescription: d\nbase: ubuntu@22.04\nplatforms: {amd64: }\n';
  const cases: [string, string, string | RegExp][] = [
    [
      'unknown top-level key',
      'colour: red\n',
      /^f\.yaml: colour: unknown key; remove it or use one of:/,
    ],
    [
      'config type',
      'config: {options: {port: {type: integer}}}\n',
      'f.yaml: config.options.port.type: expected one of string, int, float, boolean, secret, got string "integer"',
    ],
    [
      'config default of the wrong type',
      'config: {options: {port: {type: int, default: "80"}}}\n',
      /config\.options\.port\.default: expected an integer, got "80"; change the default or the type/,
    ],
    [
      'unknown option key',
      'config: {options: {port: {type: int, dflt: 1}}}\n',
      /config\.options\.port\.dflt: unknown key/,
    ],
    [
      'container resource missing',
      'containers: {web: {resource: img}}\n',
      /containers\.web\.resource: resource 'img' is not declared/,
    ],
    [
      'container resource not oci',
      'containers: {web: {resource: f}}\nresources: {f: {type: file, filename: x}}\n',
      /is not a oci-image/,
    ],
    [
      'mount of unknown storage',
      'containers: {web: {resource: i, mounts: [{storage: s, location: /x}]}}\nresources: {i: {type: oci-image}}\n',
      /containers\.web\.mounts\[0\]\.storage: storage 's' is not declared/,
    ],
    [
      'reserved endpoint',
      'requires: {juju-info: {interface: x}}\n',
      /requires\.juju-info: endpoint names 'juju' and 'juju-\*' are reserved/,
    ],
    [
      'duplicate endpoint',
      'requires: {db: {interface: x}}\nprovides: {db: {interface: y}}\n',
      /provides\.db: endpoint 'db' is also declared under 'requires'/,
    ],
    [
      'endpoint without interface',
      'requires: {db: {limit: 1}}\n',
      'f.yaml: requires.db.interface: is required; add it',
    ],
    [
      'storage type',
      'storage: {data: {type: disk}}\n',
      /storage\.data\.type: expected one of filesystem, block/,
    ],
    [
      'required param not declared',
      'actions: {go: {params: {a: {type: string}}, required: [b]}}\n',
      /actions\.go\.required\[0\]: 'b' is not a declared param/,
    ],
    ['reserved action', 'actions: {juju-run: {}}\n', /reserved by Juju/],
    ['charm-user', 'charm-user: admin\n', /charm-user: expected one of root, sudoer, non-root/],
    ['type', 'type: bundle\n', "f.yaml: type: must be 'charm' (or be left out)"],
  ];
  it.each(cases)('refuses %s', (_, extra, message) => {
    expect(() => parseCharmcraft(HEAD + extra, 'f.yaml')).toThrow(message);
  });

  it('refuses a file without a name, and names the key', () => {
    try {
      parseCharmcraft('summary: s\ndescription: d\n', 'f.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CharmcraftError);
      expect((err as CharmcraftError).keyPath).toBe('name');
      expect((err as CharmcraftError).code).toBe('OPS_CHARMCRAFT');
    }
  });

  it('refuses a charm without bases or platforms', () => {
    expect(() => parseCharmcraft('name: a\nsummary: s\ndescription: d\n', 'f.yaml')).toThrow(
      /platforms: is required/,
    );
  });

  it('refuses a platform without a base', () => {
    expect(() =>
      parseCharmcraft('name: a\nsummary: s\ndescription: d\nplatforms: {amd64: }\n', 'f.yaml'),
    ).toThrow(/platforms\.amd64: 'amd64' names no base/);
  });

  it('refuses an unquoted bases channel with the reason', () => {
    expect(() =>
      parseCharmcraft(
        'name: a\nsummary: s\ndescription: d\nbases: [{name: ubuntu, channel: 22.04}]\n',
        'f.yaml',
      ),
    ).toThrow(/bases\[0\]\.channel: expected a quoted string/);
  });

  it('refuses a base charmcraft does not know, naming the key and the valid values', () => {
    const known =
      'ubuntu@18.04, ubuntu@20.04, ubuntu@22.04, ubuntu@24.04, ubuntu@25.04, ubuntu@25.10, ubuntu@26.04, ubuntu@26.10, almalinux@9';
    const head = 'name: a\nsummary: s\ndescription: d\n';
    expect(() =>
      parseCharmcraft(`${head}base: ubuntu@99.04\nplatforms: {amd64: }\n`, 'f.yaml'),
    ).toThrow(`f.yaml: base: 'ubuntu@99.04' is not a base charmcraft knows; use one of ${known}`);
    expect(() =>
      parseCharmcraft(`${head}base: centos@7\nplatforms: {amd64: }\n`, 'f.yaml'),
    ).toThrow(`f.yaml: base: 'centos@7' is not a base charmcraft knows`);
    expect(() => parseCharmcraft(`${head}platforms: {ubuntu@99.04:amd64: }\n`, 'f.yaml')).toThrow(
      `f.yaml: platforms.ubuntu@99.04:amd64: 'ubuntu@99.04' is not a base charmcraft knows`,
    );
    expect(() =>
      parseCharmcraft(
        `${head}base: ubuntu@22.04\nbuild-base: ubuntu@99.04\nplatforms: {amd64: }\n`,
        'f.yaml',
      ),
    ).toThrow(`, almalinux@9, ubuntu@devel`);
    expect(() =>
      parseCharmcraft(`${head}base: ubuntu@25.10\nplatforms: {amd64: }\n`, 'f.yaml'),
    ).toThrow(
      "f.yaml: base: ubuntu@25.10 is built only with a build-base; add 'build-base: ubuntu@25.10'",
    );
    expect(() =>
      parseCharmcraft(`${head}bases: [{name: ubuntu, channel: "24.04"}]\n`, 'f.yaml'),
    ).toThrow(
      "f.yaml: bases[0]: ubuntu 24.04 is not a base the 'bases' form accepts (ubuntu 18.04, ubuntu 20.04, ubuntu 22.04, almalinux 9); for another base use 'base: <name>@<channel>' with 'platforms'",
    );
    for (const base of ['ubuntu@20.04', 'ubuntu@24.04', 'ubuntu@26.04', 'almalinux@9']) {
      expect(
        parseCharmcraft(`${head}base: ${base}\nplatforms: {amd64: }\n`, 'f.yaml').bases,
      ).toHaveLength(1);
    }
    const devel = `${head}base: ubuntu@25.10\nbuild-base: ubuntu@devel\nplatforms: {amd64: }\n`;
    expect(parseCharmcraft(devel, 'f.yaml').bases[0]?.channel).toBe('25.10');
  });

  it('reports YAML syntax errors with a position', () => {
    expect(() => parseCharmcraft('name: a\n  bad: [\n', 'f.yaml')).toThrow(
      /^f\.yaml: invalid YAML at line \d+, column \d+/,
    );
  });

  it('refuses duplicate keys', () => {
    expect(() => parseCharmcraft('name: a\nname: b\n', 'f.yaml')).toThrow(/invalid YAML/);
  });
});

describe('loadCharmcraft', () => {
  it('reads charmcraft.yaml from a charm directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ops-cc-'));
    await writeFile(join(dir, 'charmcraft.yaml'), FULL);
    const meta = await loadCharmcraft(dir);
    expect(meta.file).toBe(join(dir, 'charmcraft.yaml'));
    expect(meta.name).toBe('demo');
  });

  it('says a binary file is not text YAML, naming it and printing none of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ops-cc-'));
    const file = join(dir, 'charmcraft.yaml');
    // The start of a zip (a .charm saved under the wrong name), and bytes that are not UTF-8.
    await writeFile(file, Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\bREADME.md', 'latin1'));
    await expect(loadCharmcraft(dir)).rejects.toThrow(
      `${file}: is not a text YAML file (binary data: a NUL byte at offset 5); charmcraft.yaml must be UTF-8 text: is this the right file?`,
    );
    await writeFile(file, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    await expect(loadCharmcraft(dir)).rejects.toThrow(
      /is not a text YAML file \(not valid UTF-8\)/,
    );
    await writeFile(file, 'name: a\u0007b\n');
    await expect(loadCharmcraft(dir)).rejects.toThrow(
      /is not a text YAML file \(a control character at offset 7\)/,
    );
  });

  it('says which file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ops-cc-'));
    await expect(loadCharmcraft(dir)).rejects.toThrow(/charmcraft\.yaml: cannot read the file/);
  });
});
