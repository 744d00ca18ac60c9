import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedCharm, packCharm } from '../src/pack.ts';
import { defaultCacheDir } from '../src/runtime/node-runtime.ts';
import { NODE_VERSION } from '../src/runtime/registry.ts';
import { HELLO, unpack } from '../test/helpers.ts';

// The architecture of this machine, in Juju's words: the charm that can run here.
const HOST_ARCH = arch() === 'x64' ? 'amd64' : arch();

let dir: string;
let packed: PackedCharm[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-e2e-'));
  packed = await packCharm({
    charmDir: HELLO,
    outDir: join(dir, 'dist'),
    nodeVersion: NODE_VERSION,
    cacheDir: defaultCacheDir(),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tools dir whose hook tools append their argv to a log, as stand-ins for Juju's. */
async function stubHookTools(root: string): Promise<{ bin: string; log: string }> {
  const bin = join(root, 'tools');
  const log = join(root, 'calls.log');
  await mkdir(bin, { recursive: true });
  for (const name of ['juju-log', 'status-set', 'is-leader', 'config-get']) {
    await writeFile(
      join(bin, name),
      `#!/bin/sh\nprintf '%s' "$(basename "$0")" >> '${log}'\nfor a in "$@"; do printf ' [%s]' "$a" >> '${log}'; done\necho >> '${log}'\n`,
    );
    await chmod(join(bin, name), 0o755);
  }
  return { bin, log };
}

function minimalJujuEnv(charmDir: string, tools: string, dispatchPath: string) {
  return {
    PATH: `${tools}:/usr/bin:/bin`,
    JUJU_DISPATCH_PATH: dispatchPath,
    JUJU_UNIT_NAME: 'hello/0',
    JUJU_MODEL_NAME: 'test',
    JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
    JUJU_CONTEXT_ID: 'hello/0-install-1',
    JUJU_CHARM_DIR: charmDir,
    CHARM_DIR: charmDir,
    JUJU_VERSION: '3.6.4',
  };
}

/** The charm this machine can run, unpacked under `dir/<name>/charm`, with stub hook tools. */
async function unpackForHost(
  ctx: { skip(note: string): never },
  name: string,
  prepare?: (root: string) => Promise<void>,
): Promise<{ charmDir: string; bin: string; log: string }> {
  const charm = packed.find((p) => p.target.arch === HOST_ARCH);
  if (!charm) ctx.skip(`no charm for this machine's architecture (${HOST_ARCH})`);
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  await prepare?.(root);
  const charmDir = join(root, 'charm');
  await unpack((charm as PackedCharm).path, charmDir);
  return { charmDir, ...(await stubHookTools(root)) };
}

/** Runs `./dispatch` as Juju would for `dispatchPath`. */
function runDispatch(charmDir: string, bin: string, dispatchPath: string) {
  return spawnSync('./dispatch', [], {
    cwd: charmDir,
    env: minimalJujuEnv(charmDir, bin, dispatchPath),
    encoding: 'utf8',
  });
}

describe('packed charm', () => {
  it('unpacks every built charm with the files and modes Juju needs', async () => {
    expect(packed.map((p) => p.target.arch)).toEqual(['amd64', 'arm64']);
    for (const charm of packed) {
      const out = join(dir, `unpacked-${charm.target.arch}`);
      const files = await unpack(charm.path, out);
      const modes = Object.fromEntries(files.map((f) => [f.name, f.mode]));
      expect(modes['metadata.yaml']).toBe(0o644);
      expect(modes.dispatch).toBe(0o755);
      expect(modes['runtime/node']).toBe(0o755);
      const manifest = await readFile(join(out, 'manifest.yaml'), 'utf8');
      expect(manifest).toContain(`- ${charm.target.arch}\n`);
      // An ELF binary for the right machine: e_machine 0x3e is x86-64, 0xb7 is AArch64.
      const elf = await readFile(join(out, 'runtime/node'));
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(elf.readUInt16LE(18)).toBe(charm.target.arch === 'amd64' ? 0x3e : 0xb7);
    }
  });

  it('runs the install hook through ./dispatch with the embedded Node.js', async (ctx) => {
    const { charmDir, bin, log } = await unpackForHost(ctx, 'run-install');
    const run = runDispatch(charmDir, bin, 'hooks/install');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // dispatch points V8's compile cache at the charm directory, for the next hooks.
    expect(existsSync(join(charmDir, '.node-compile-cache'))).toBe(true);
    expect((await readFile(log, 'utf8')).split('\n')).toEqual([
      `juju-log [--log-level] [INFO] [--] [hello: install on v${NODE_VERSION}]`,
      'status-set [active] [hello from hello/0]',
      '',
    ]);
  });

  it('shows the TypeScript file and line when the charm throws', async (ctx) => {
    const { charmDir, bin } = await unpackForHost(ctx, 'run-fail');
    const run = runDispatch(charmDir, bin, 'actions/fail');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: the fail action fails on purpose');
    expect(run.stderr).toMatch(/at failOnPurpose \(.*\/src\/charm\.ts:19:9\)/);
  });

  it('leaves stack traces in bundle lines when the source map is missing', async (ctx) => {
    const { charmDir, bin } = await unpackForHost(ctx, 'run-no-map');
    await rm(join(charmDir, 'charm.cjs.map'));
    const run = runDispatch(charmDir, bin, 'actions/fail');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/at failOnPurpose \(.*\/charm\.cjs:\d+:\d+\)/);
    expect(run.stderr).not.toContain('charm.ts');
  });

  it('runs as CommonJS even below a package.json of "type": "module"', async (ctx) => {
    const { charmDir, bin, log } = await unpackForHost(ctx, 'run-under-esm', (root) =>
      writeFile(join(root, 'package.json'), '{ "type": "module" }\n'),
    );
    const run = runDispatch(charmDir, bin, 'hooks/install');
    expect(run.stderr).toBe('');
    expect(await readFile(log, 'utf8')).toContain('status-set [active]');
  });

  it('falls back to $0 when Juju does not set JUJU_DISPATCH_PATH', async (ctx) => {
    const { charmDir, bin, log } = await unpackForHost(ctx, 'run-legacy');
    // Old Juju runs hooks/<name>; a copy of dispatch there sees its own path as $0.
    await mkdir(join(charmDir, 'hooks'));
    await writeFile(join(charmDir, 'hooks/install'), await readFile(join(charmDir, 'dispatch')));
    await chmod(join(charmDir, 'hooks/install'), 0o755);
    const env: Record<string, string> = minimalJujuEnv(charmDir, bin, '');
    delete env.JUJU_DISPATCH_PATH;
    const run = spawnSync('hooks/install', [], { cwd: charmDir, env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(await readFile(log, 'utf8')).toContain('status-set [active]');
  });
});
