// The runtime run as a child process, as Juju runs it: a bundled charm, stub hook tools on PATH,
// and the exact argv sequence each hook produces.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StubJuju, stubJuju } from '../test/stub-juju.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
let out: string;
let bundle: string;
let juju: StubJuju;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'ops-e2e-'));
  bundle = join(out, 'charm.js');
  await build({
    entryPoints: [join(here, 'fixtures', 'test-charm.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    outfile: bundle,
    logLevel: 'error',
  });
  juju = await stubJuju(join(here, '..', 'test', 'bin', 'hook-tool-stub'));
});

afterAll(async () => {
  await juju?.cleanup();
  await rm(out, { recursive: true, force: true });
});

beforeEach(() => juju.reset());

function runHook(path: string, extra: Record<string, string> = {}, nodeFlags: string[] = []) {
  const env = {
    PATH: `${juju.bin}:/usr/bin:/bin`,
    STUB_DIR: juju.dir,
    JUJU_DISPATCH_PATH: path,
    JUJU_HOOK_NAME: path.startsWith('hooks/') ? path.slice(6) : '',
    JUJU_UNIT_NAME: 'test-charm/0',
    JUJU_MODEL_NAME: 'm',
    JUJU_MODEL_UUID: '00000000-0000-0000-0000-000000000000',
    JUJU_VERSION: '3.6.4',
    JUJU_CHARM_DIR: out,
    ...extra,
  };
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...nodeFlags, bundle],
      { env, cwd: out },
      (err, _stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
      },
    );
  });
}

const argvs = async () => (await juju.calls()).map((c) => c.argv);
const STATE_GET = ['state-get', '--format=json', 'charm-ts'];
const STATE_SET = ['state-set', '--file', '-'];
const rel = {
  JUJU_RELATION: 'db',
  JUJU_RELATION_ID: 'db:3',
  JUJU_REMOTE_APP: 'pg',
  JUJU_REMOTE_UNIT: 'pg/0',
};

describe('dispatch as a child process', () => {
  it('install: one state-get, the status, one state-set', async () => {
    expect(await runHook('hooks/install')).toEqual({ code: 0, stderr: '' });
    expect(await argvs()).toEqual([
      STATE_GET,
      ['status-set', 'maintenance', '--', 'installed'],
      STATE_SET,
    ]);
    expect(await juju.state()).toEqual({
      v: 1,
      stored: { installs: 1 },
      deferred: [],
      status: { unit: { status: 'maintenance', message: 'installed' } },
    });
  });

  it('config-changed: config-get, then the status only because it changed', async () => {
    await juju.answer('config-get', '{"port":9090}\n');
    expect((await runHook('hooks/config-changed')).code).toBe(0);
    expect(await argvs()).toEqual([
      STATE_GET,
      ['config-get', '--format=json'],
      ['status-set', 'active', '--', 'port 9090'],
      STATE_SET,
    ]);
    await juju.reset();
    expect((await runHook('hooks/config-changed')).code).toBe(0);
    expect(await argvs()).toEqual([STATE_GET, ['config-get', '--format=json']]);
  });

  it('an ignored hook spawns one tool', async () => {
    expect((await runHook('hooks/leader-elected')).code).toBe(0);
    expect(await argvs()).toEqual([STATE_GET]);
  });

  it('relation-changed defers when data is missing; the next dispatch re-emits it first', async () => {
    await juju.answer('relation-get', '{}\n');
    expect((await runHook('hooks/db-relation-changed', rel)).code).toBe(0);
    expect(await argvs()).toEqual([
      STATE_GET,
      ['relation-get', '--format=json', '-r', 'db:3', '-', 'pg/0'],
      STATE_SET,
    ]);
    expect((await juju.state())?.deferred).toEqual([
      {
        hook: 'hooks/db-relation-changed',
        observer: 'hooks/db-relation-changed#onDbChanged',
        env: rel,
      },
    ]);

    await juju.reset();
    await juju.answer('relation-get', '{"host":"10.0.0.9"}\n');
    expect((await runHook('hooks/update-status')).code).toBe(0);
    const calls = await juju.calls();
    expect(calls.map((c) => c.argv)).toEqual([
      STATE_GET,
      ['relation-get', '--format=json', '-r', 'db:3', '-', 'pg/0'],
      ['relation-set', '-r', 'db:3', '--file', '-'],
      STATE_SET,
    ]);
    expect(calls[2]?.stdin).toBe('{"seen":"10.0.0.9"}');
    expect((await juju.state())?.deferred).toEqual([]);
  });

  it('an action: action-get, then action-set with flattened results; no state-set', async () => {
    await juju.answer('action-get', '{"url":"https://example.com"}\n');
    expect(
      (await runHook('actions/pull-site', { JUJU_ACTION_NAME: 'pull-site', JUJU_ACTION_UUID: '7' }))
        .code,
    ).toBe(0);
    expect(await argvs()).toEqual([
      STATE_GET,
      ['action-get', '--format=json'],
      ['action-set', 'fetched.url=https://example.com'],
    ]);
  });

  it.each([
    ['mapped by the runtime', []],
    ['mapped by node --enable-source-maps', ['--enable-source-maps']],
  ])(
    'a failing handler: exit 1, its TypeScript stack logged (%s), nothing committed',
    async (_, flags) => {
      const before = await juju.state();
      const result = await runHook('hooks/update-status', { FAIL_HANDLER: '1' }, flags);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /Error: handler failed on purpose\n\s+at failOnPurpose \(.*test-charm\.ts:\d+:\d+\)/,
      );
      const calls = await argvs();
      expect(calls.map((c) => c[0])).toEqual(['state-get', 'juju-log']);
      expect(calls[1]?.slice(0, 4)).toEqual(['juju-log', '--log-level', 'ERROR', '--']);
      expect(calls[1]?.[4]).toMatch(
        /handler failed on purpose\n\s+at failOnPurpose \(.*test-charm\.ts:\d+:\d+\)/,
      );
      expect(await juju.state()).toEqual(before);
    },
  );

  it('a failing hook tool: exit 1 with Juju’s message', async () => {
    await juju.fail('config-get', 'ERROR permission denied');
    const result = await runHook('hooks/config-changed');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ModelError: permission denied/);
    await rm(join(juju.dir, 'fail', 'config-get'));
  });

  it('a missing variable is named', async () => {
    const result = await runHook('hooks/install', { JUJU_MODEL_UUID: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/JUJU_MODEL_UUID is not set/);
    expect(await argvs()).toEqual([]);
  });
});
