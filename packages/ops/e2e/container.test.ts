// Container against a real Pebble daemon on a temporary socket, through the runtime's default
// Pebble factory and the CHARM_TS_CONTAINERS_DIR variable.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { APIError, ChangeError, PathError } from '@charm-ts/pebble/errors';
import { type RealPebble, realPebbleSkipReason, startRealPebble } from '@charm-ts/pebble/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Charm } from '../src/charm.ts';
import type { CharmRuntimeMeta } from '../src/charmcraft/types.ts';
import type { Container } from '../src/container/container.ts';
import { PathCopyError } from '../src/container/paths.ts';
import { dispatch } from '../src/dispatch.ts';
import type { Framework } from '../src/framework.ts';
import { processHookTools } from '../src/hook-tools/process.ts';

// Throws under CI when pebble is missing; elsewhere the tests skip, saying how to install it.
const skipReason = realPebbleSkipReason();

const meta: CharmRuntimeMeta = {
  name: 'c',
  config: {},
  actions: {},
  endpoints: { requires: {}, provides: {}, peers: {} },
  containers: { web: {}, ghost: {} },
  storage: {},
};

describe.skipIf(skipReason !== undefined)(
  `Container on a real Pebble${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let dir: string;
    let daemon: RealPebble | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ops-pebble-'));
      await mkdir(join(dir, 'containers', 'web'), { recursive: true });
      daemon = await startRealPebble({
        socketPath: join(dir, 'containers', 'web', 'pebble.socket'),
      });
    });

    afterAll(async () => {
      await daemon?.close();
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

    it('applyLayer: says what changed and what started; replans only when something would', async () => {
      const replans = async () =>
        (await daemon?.client.listChanges({ select: 'all' }))?.filter((c) => c.kind === 'replan')
          .length ?? 0;
      await withContainers(async (web) => {
        expect(await web.applyLayer('web', layer('/bin/sleep 3600'))).toEqual({
          changed: [],
          started: ['web'],
        });
        const first = await web.getService('web');
        expect(first.isRunning()).toBe(true);
        // The same layer again: the plan is the same and the service runs, so no replan change.
        const before = await replans();
        expect(await web.applyLayer('web', layer('/bin/sleep 3600'))).toEqual({
          changed: [],
          started: [],
        });
        expect(await replans()).toBe(before);
        expect((await web.getService('web')).currentSince).toEqual(first.currentSince);
        expect(await web.applyLayer('web', layer('/bin/sleep 3601'))).toEqual({
          changed: ['web'],
          started: ['web'],
        });
        expect(await replans()).toBe(before + 1);
        const changed = await web.getService('web');
        expect(changed.isRunning()).toBe(true);
        expect(changed.currentSince?.getTime()).toBeGreaterThan(first.currentSince?.getTime() ?? 0);
        // Stopped by hand, unchanged: the replan starts it again, and says so.
        await web.stop(['web']);
        expect((await web.getServices(['web'])).web?.isRunning()).toBe(false);
        expect(await web.applyLayer('web', layer('/bin/sleep 3601'))).toEqual({
          changed: [],
          started: ['web'],
        });
        expect((await web.getPlan()).services.web?.command).toBe('/bin/sleep 3601');
      });
    });

    it('applyLayer: a service that exits at start is a ChangeError with its output', async () => {
      await withContainers(async (web) => {
        const failing = {
          services: {
            broken: {
              override: 'replace' as const,
              command: '/bin/sh -c "echo nope >&2; exit 3"',
              startup: 'enabled' as const,
            },
          },
        };
        const error = await web.applyLayer('broken', failing).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChangeError);
        expect(String(error)).toMatch(/nope/);
        await web.stop(['broken']).catch(() => undefined);
        await web.addLayer('broken', {
          services: {
            broken: { override: 'replace', command: '/bin/sleep 3600', startup: 'disabled' },
          },
        });
      });
    });

    it('services: start, stop, restart, sendSignal; getService of an unknown one', async () => {
      await withContainers(async (web) => {
        await web.applyLayer('web', layer('/bin/sleep 3602'));
        await web.restart(['web']);
        expect((await web.getService('web')).isRunning()).toBe(true);
        await web.sendSignal('SIGHUP', ['web']).catch((e: unknown) => {
          // sleep dies of SIGHUP: Pebble may report it, but the call itself reached the service.
          expect(e).toBeInstanceOf(APIError);
        });
        await web.stop(['web']);
        expect((await web.getService('web')).isRunning()).toBe(false);
        await web.start(['web']);
        expect((await web.getService('web')).isRunning()).toBe(true);
        await expect(web.getService('nope')).rejects.toThrow(
          "service 'nope' not found in container web",
        );
      });
    });

    it('checks: getChecks with isRunning, stopChecks and startChecks', async () => {
      await withContainers(async (web) => {
        await web.addLayer('checks', {
          checks: { alive: { override: 'replace', period: '10s', exec: { command: '/bin/true' } } },
        });
        await web.replan();
        expect((await web.getCheck('alive')).isRunning()).toBe(true);
        expect(await web.stopChecks(['alive'])).toEqual(['alive']);
        expect((await web.getChecks(['alive'])).alive?.isRunning()).toBe(false);
        expect(await web.startChecks(['alive'])).toEqual(['alive']);
        expect((await web.getCheck('alive')).isRunning()).toBe(true);
      });
    });

    it('notices: getNotices and getNotice', async () => {
      await withContainers(async (web) => {
        const id = await (await web.pebble()).notify('example.com/ops-e2e', {
          data: { why: 'test' },
        });
        const notice = await web.getNotice(id);
        expect(notice).toMatchObject({ key: 'example.com/ops-e2e', lastData: { why: 'test' } });
        const listed = await web.getNotices({ keys: ['example.com/ops-e2e'] });
        expect(listed.map((n) => n.id)).toEqual([id]);
      });
    });

    it('files: push text, bytes and streams; makeDirs is off by default; pull them back', async () => {
      const base = join(dir, 'files', 'push');
      await withContainers(async (web) => {
        await expect(web.push(join(base, 'deep', 'a.txt'), 'x')).rejects.toMatchObject({
          kind: 'not-found',
        });
        await web.push(join(base, 'deep', 'a.txt'), 'plain ✓ text\n', { makeDirs: true });
        expect(await web.pullText(join(base, 'deep', 'a.txt'))).toBe('plain ✓ text\n');
        await web.push(join(base, 'b.bin'), new Uint8Array([0, 1, 255]), { permissions: 0o600 });
        expect([...(await web.pullBytes(join(base, 'b.bin')))]).toEqual([0, 1, 255]);
        await web.push(join(base, 'c.txt'), Readable.from(['one ', 'two']));
        const chunks: string[] = [];
        for await (const c of await web.pull(join(base, 'c.txt'))) chunks.push(String(c));
        expect(chunks.join('')).toBe('one two');
        await web.pushJson(join(base, 'conf.json'), { port: 80 });
        expect(await web.pullJson(join(base, 'conf.json'))).toEqual({ port: 80 });
        const [info] = await web.listFiles(join(base, 'b.bin'), { itself: true });
        expect(info?.permissions).toBe(0o600);
      });
    });

    it('files: exists, isDir, makeDir, listFiles, removePath', async () => {
      const base = join(dir, 'files', 'tree');
      await withContainers(async (web) => {
        expect(await web.exists(base)).toBe(false);
        expect(await web.isDir(base)).toBe(false);
        await web.makeDir(join(base, 'a', 'b'), { makeParents: true });
        expect(await web.isDir(join(base, 'a'))).toBe(true);
        await web.push(join(base, 'a', 'f.txt'), 'f');
        expect(await web.isDir(join(base, 'a', 'f.txt'))).toBe(false);
        expect(await web.exists(join(base, 'a', 'f.txt'))).toBe(true);
        expect((await web.listFiles(join(base, 'a'))).map((f) => f.name).sort()).toEqual([
          'b',
          'f.txt',
        ]);
        await expect(web.removePath(join(base, 'a'))).rejects.toBeInstanceOf(PathError);
        await web.removePath(join(base, 'a'), { recursive: true });
        expect(await web.exists(join(base, 'a'))).toBe(false);
      });
    });

    it('pushPath and pullPath copy trees (dir and dir/*), modes kept, failures listed', async () => {
      const local = join(dir, 'local-src');
      await mkdir(join(local, 'site', 'css'), { recursive: true });
      await writeFile(join(local, 'site', 'index.html'), '<p>hi</p>');
      await writeFile(join(local, 'site', 'css', 'a.css'), 'p{}', { mode: 0o600 });
      const remote = join(dir, 'files', 'copied');
      const back = join(dir, 'local-back');
      await withContainers(async (web) => {
        await web.pushPath(join(local, 'site'), remote);
        expect(await web.pullText(join(remote, 'site', 'css', 'a.css'))).toBe('p{}');
        const [css] = await web.listFiles(join(remote, 'site', 'css', 'a.css'), { itself: true });
        expect(css?.permissions).toBe(0o600);
        await web.pushPath(join(local, 'site', '*'), join(remote, 'flat'));
        expect(await web.pullText(join(remote, 'flat', 'index.html'))).toBe('<p>hi</p>');
        await web.pullPath(join(remote, 'site'), back);
        expect(await readFile(join(back, 'site', 'css', 'a.css'), 'utf8')).toBe('p{}');
        await web.pullPath(join(remote, 'flat', '*'), join(back, 'flat'));
        expect(await readFile(join(back, 'flat', 'index.html'), 'utf8')).toBe('<p>hi</p>');
        const error = await web
          .pullPath([join(remote, 'missing'), join(remote, 'flat', 'index.html')], join(back, 'x'))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PathCopyError);
        expect((error as PathCopyError).failures.map((f) => f.path)).toEqual([
          join(remote, 'missing'),
        ]);
        expect(await readFile(join(back, 'x', 'index.html'), 'utf8')).toBe('<p>hi</p>');
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
