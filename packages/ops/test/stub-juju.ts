/**
 * Test helper: a temp dir with stub hook tools on PATH (see bin/hook-tool-stub), and a reader
 * for the calls they recorded.
 * @module
 */
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every tool the runtime may call. */
export const TOOLS = [
  'action-get',
  'action-set',
  'action-log',
  'action-fail',
  'application-version-set',
  'config-get',
  'credential-get',
  'goal-state',
  'is-leader',
  'juju-log',
  'network-get',
  'open-port',
  'close-port',
  'opened-ports',
  'relation-ids',
  'relation-list',
  'relation-get',
  'relation-set',
  'relation-model-get',
  'resource-get',
  'secret-add',
  'secret-get',
  'secret-set',
  'secret-grant',
  'secret-revoke',
  'secret-remove',
  'secret-ids',
  'secret-info-get',
  'state-get',
  'state-set',
  'state-delete',
  'status-get',
  'status-set',
  'storage-get',
  'storage-list',
  'storage-add',
  'unit-get',
  'leader-get',
  'leader-set',
];

/** One recorded call. */
export interface StubCall {
  argv: string[];
  stdin: string;
}

/** A stub Juju in a temp dir. */
export interface StubJuju {
  dir: string;
  bin: string;
  /** Sets a tool's canned stdout. */
  answer(tool: string, stdout: string): Promise<void>;
  /** Makes a tool fail with this stderr. */
  fail(tool: string, stderr: string): Promise<void>;
  /** The calls since the last `reset`. */
  calls(): Promise<StubCall[]>;
  reset(): Promise<void>;
  /** The committed state value, parsed, or undefined. */
  state(): Promise<Record<string, unknown> | undefined>;
  cleanup(): Promise<void>;
}

/** Creates the stub tools (symlinks to `stubScript`) in a fresh temp dir. */
export async function stubJuju(stubScript: string): Promise<StubJuju> {
  const dir = await mkdtemp(join(tmpdir(), 'ops-stub-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await mkdir(join(dir, 'answers'));
  await mkdir(join(dir, 'fail'));
  await chmod(stubScript, 0o755);
  for (const tool of TOOLS) await symlink(stubScript, join(bin, tool));
  const log = join(dir, 'log');
  return {
    dir,
    bin,
    answer: (tool, stdout) => writeFile(join(dir, 'answers', tool), stdout),
    fail: (tool, stderr) => writeFile(join(dir, 'fail', tool), stderr),
    async calls() {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text
        .split('\x1d')
        .filter((r) => r !== '')
        .map((record) => {
          const [args = '', stdin = ''] = record.split('\x1f');
          return { argv: args.split('\x1e').slice(0, -1), stdin };
        });
    },
    reset: () => writeFile(log, ''),
    async state() {
      const raw = await readFile(join(dir, 'state'), 'utf8').catch(() => undefined);
      return raw === undefined ? undefined : JSON.parse(JSON.parse(raw)['charm-ts']);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
