// Container against a real Pebble daemon on a temporary socket, through the runtime's default
// Pebble factory and the CHARM_TS_CONTAINERS_DIR variable.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Charm, type Framework } from '../src/charm.ts';
import type { CharmRuntimeMeta } from '../src/charmcraft/types.ts';
import type { Container } from '../src/container.ts';
import { dispatch } from '../src/dispatch.ts';
import { processHookTools } from '../src/hook-tools/process.ts';

const INSTALL = 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1';
const pebbleBin = [...(process.env.PATH ?? '').split(':'), '/root/go/bin']
  .map((d) => join(d, 'pebble'))
  .find((p) => existsSync(p));
if (!pebbleBin && process.env.CI)
  throw new Error(`pebble is required for this test in CI; install it: ${INSTALL}`);

const meta: CharmRuntimeMeta = {
  name: 'c',
  config: {},
  actions: {},
  endpoints: { requires: {}, provides: {}, peers: {} },
  containers: { web: {}, ghost: {} },
  storage: {},
};

describe.skipIf(!pebbleBin)(
  `Container on a real Pebble (skipped without pebble: ${INSTALL})`,
  () => {
    let dir: string;
    let daemon: ChildProcess;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ops-pebble-'));
      await mkdir(join(dir, 'containers', 'web'), { recursive: true });
      const socket = join(dir, 'containers', 'web', 'pebble.socket');
      daemon = spawn(pebbleBin as string, ['run', '--create-dirs'], {
        env: { ...process.env, PEBBLE: join(dir, 'state'), PEBBLE_SOCKET: socket },
        stdio: 'ignore',
      });
      for (let i = 0; i < 200 && !existsSync(socket); i++)
        await new Promise((r) => setTimeout(r, 25));
    });

    afterAll(async () => {
      daemon?.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      await rm(dir, { recursive: true, force: true });
    });

    /** Runs `body` in an install hook with the real containers. */
    async function withContainers(body: (web: Container, ghost: Container) => Promise<void>) {
      class C extends Charm<{
        config: object;
        actions: object;
        endpoints: never;
        containers: 'web' | 'ghost';
        storages: never;
      }> {
        constructor(fw: Framework) {
          super(fw);
          this.on.install(() => body(this.unit.container('web'), this.unit.container('ghost')));
        }
      }
      const env = {
        JUJU_DISPATCH_PATH: 'hooks/install',
        JUJU_UNIT_NAME: 'c/0',
        JUJU_MODEL_NAME: 'm',
        JUJU_MODEL_UUID: 'u',
        JUJU_VERSION: '3.6.4',
        CHARM_TS_CONTAINERS_DIR: join(dir, 'containers'),
      };
      const result = await dispatch({
        charm: C,
        env,
        tools: processHookTools(async () => ''),
        meta,
      });
      if (result.error) throw result.error;
    }

    const layer = (command: string) => ({
      summary: 'web',
      services: { web: { override: 'replace' as const, command, startup: 'enabled' as const } },
    });

    it('canConnect: true for a live socket, false without one', async () => {
      await withContainers(async (web, ghost) => {
        expect(await web.canConnect()).toBe(true);
        expect(await ghost.canConnect()).toBe(false);
      });
    });

    it('applyLayer replans and restarts only what changed', async () => {
      await withContainers(async (web) => {
        expect(await web.applyLayer('web', layer('/bin/sleep 3600'))).toEqual(['web']);
        const pebble = await web.pebble();
        const [first] = await pebble.listServices({ names: ['web'] });
        expect(first?.current).toBe('active');
        expect(await web.applyLayer('web', layer('/bin/sleep 3600'))).toEqual([]);
        const [same] = await pebble.listServices({ names: ['web'] });
        expect(same?.currentSince).toEqual(first?.currentSince);
        expect(await web.applyLayer('web', layer('/bin/sleep 3601'))).toEqual(['web']);
        const [changed] = await pebble.listServices({ names: ['web'] });
        expect(changed?.current).toBe('active');
        expect(changed?.currentSince?.getTime()).toBeGreaterThan(
          first?.currentSince?.getTime() ?? 0,
        );
      });
    });

    it('push and pull text and JSON; exists', async () => {
      const path = join(dir, 'files', 'deep', 'conf.json');
      await withContainers(async (web) => {
        expect(await web.exists(path)).toBe(false);
        await web.pushJson(path, { port: 80, names: ['a'] });
        expect(await web.exists(path)).toBe(true);
        expect(await web.pullJson(path)).toEqual({ port: 80, names: ['a'] });
        await web.push(path, 'plain ✓ text\n');
        expect(await web.pullText(path)).toBe('plain ✓ text\n');
        await expect(web.pullText(join(dir, 'files', 'missing'))).rejects.toMatchObject({
          kind: 'not-found',
        });
      });
    });

    it('exec returns the output, and throws ExecError with the exit code', async () => {
      await withContainers(async (web) => {
        expect(await web.exec(['/bin/sh', '-c', 'echo out; echo err >&2'])).toEqual({
          stdout: 'out\n',
          stderr: 'err\n',
        });
        await expect(web.exec(['/bin/sh', '-c', 'echo oops >&2; exit 3'])).rejects.toMatchObject({
          exitCode: 3,
          stderr: 'oops\n',
        });
      });
    });
  },
);
