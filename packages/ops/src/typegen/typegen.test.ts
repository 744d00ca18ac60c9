import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseCharmcraft } from '../charmcraft/parse.ts';
import { typegenCli } from './cli.ts';
import { toRuntimeMeta, typegen } from './typegen.ts';

const YAML = `name: demo
summary: s
description: d
base: ubuntu@22.04
platforms: {amd64: }
containers: {redis: {resource: img}}
resources: {img: {type: oci-image}}
requires: {db: {interface: pg}}
peers: {cluster: {interface: demo}}
storage: {data: {type: filesystem}}
config:
  options:
    port: {type: int, default: 8080, description: "The port. */ not a comment end"}
    log-level: {type: string}
    ratio: {type: float, default: 0.5}
    debug: {type: boolean, default: false}
    password: {type: secret}
actions:
  pull-site:
    description: Pull a site.
    params:
      url: {type: string}
      depth: {type: integer, default: 1}
      mode: {enum: [fast, slow]}
      tags: {type: array, items: {type: string}}
      opts: {type: object, properties: {force: {type: boolean}}, required: [force]}
    required: [url]
  snapshot: {}
`;
const meta = parseCharmcraft(YAML, 'charmcraft.yaml');

describe('typegen', () => {
  const text = typegen(meta);

  it('types config options; options without a default are optional', () => {
    expect(text).toContain('  /** The port. *\\/ not a comment end */\n  port: number;');
    expect(text).toContain("  'log-level'?: string;".replace(/'/g, '"'));
    expect(text).toContain('  ratio: number;');
    expect(text).toContain('  debug: boolean;');
    expect(text).toContain('  password?: string;');
  });

  it('types action params from their JSON schema', () => {
    expect(text).toContain(
      '"pull-site": {\n    url: string;\n    depth: number;\n    mode?: "fast" | "slow";\n    tags?: string[];\n    opts?: {\n      force: boolean;\n    };\n  };',
    );
    expect(text).toContain('  snapshot: Record<string, unknown>;');
  });

  it('names endpoints, containers and storage', () => {
    expect(text).toContain('export type Endpoint = "db" | "cluster";');
    expect(text).toContain('export type ContainerName = "redis";');
    expect(text).toContain('export type StorageName = "data";');
  });

  it('emits the runtime metadata, without YAML', () => {
    const runtime = toRuntimeMeta(meta);
    expect(text).toContain(
      `export const meta: CharmRuntimeMeta = ${JSON.stringify(runtime, null, 2)};`,
    );
    expect(runtime.endpoints.peers).toEqual({ cluster: { interface: 'demo' } });
    expect(runtime.actions['pull-site']?.required).toEqual(['url']);
  });
});

// The point of typegen: a config-key typo fails the typecheck.
describe('generated types in a charm', () => {
  const pkg = fileURLToPath(new URL('../..', import.meta.url));
  let dir: string;
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  const tsc = async (charmSource: string) => {
    dir ??= await mkdtemp(join(pkg, 'node_modules', '.cache-typegen-'));
    await writeFile(join(dir, 'charmcraft.generated.ts'), typegen(meta));
    await writeFile(join(dir, 'charm.ts'), charmSource);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../../tsconfig.base.json', include: ['*.ts'] }),
    );
    return new Promise<{ code: number; out: string }>((resolve) => {
      execFile(join(pkg, 'node_modules', '.bin', 'tsc'), ['-p', dir], (err, stdout, stderr) => {
        resolve({ code: err ? 1 : 0, out: stdout + stderr });
      });
    });
  };

  const charm = (body: string) => `import { Charm, type Framework, main } from '@charm-ts/ops';
import { meta, type Types } from './charmcraft.generated.ts';
class Demo extends Charm<Types> {
  constructor(fw: Framework) {
    super(fw);
${body}
  }
}
void main(Demo, { meta });
`;

  it('accepts correct names and fails on typos', async () => {
    const ok = await tsc(
      charm(`    this.on.configChanged(async () => { const c = await this.config(); const p: number = c.port; void p; });
    this.on.relationChanged('db', () => {});
    this.on.pebbleReady('redis', () => {});
    this.on.action('pull-site', (e) => { const u: string = e.params.url; void u; });`),
    );
    expect(ok.out).toBe('');
    expect(ok.code).toBe(0);
    const bad = await tsc(
      charm(`    this.on.configChanged(async () => { const c = await this.config(); void c.prot; });
    this.on.relationChanged('dbx', () => {});
    this.on.pebbleReady('redsi', () => {});
    this.on.action('pull-sit', () => {});`),
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/Property 'prot' does not exist/);
    expect(bad.out).toMatch(/"dbx"/);
    expect(bad.out).toMatch(/"redsi"/);
    expect(bad.out).toMatch(/"pull-sit"/);
  });
});

describe('charm-typegen CLI', () => {
  it('writes src/charmcraft.generated.ts, then --check passes; a stale file fails --check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ops-typegen-'));
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'charmcraft.yaml'), YAML);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const ewrite = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await typegenCli([dir])).toBe(0);
      expect(await readFile(join(dir, 'src', 'charmcraft.generated.ts'), 'utf8')).toBe(
        typegen(meta, '../charmcraft.yaml'),
      );
      expect(await typegenCli([dir, '--check'])).toBe(0);
      await writeFile(
        join(dir, 'charmcraft.yaml'),
        YAML.replace('port: {type: int', 'port2: {type: int'),
      );
      expect(await typegenCli([dir, '--check'])).toBe(1);
      expect(String(ewrite.mock.calls.at(-1)?.[0])).toMatch(/is out of date; run charm-typegen/);
      await writeFile(join(dir, 'charmcraft.yaml'), 'name: 1\n');
      expect(await typegenCli([dir])).toBe(1);
      expect(String(ewrite.mock.calls.at(-1)?.[0])).toMatch(
        /^charm-typegen: .*charmcraft\.yaml: name: expected a string/,
      );
      expect(await typegenCli(['--bogus'])).toBe(2);
      expect(await typegenCli(['--help'])).toBe(0);
      expect(String(write.mock.calls.at(-1)?.[0])).toMatch(/^Usage: charm-typegen/);
    } finally {
      write.mockRestore();
      ewrite.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
