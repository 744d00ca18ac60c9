// @charm-ts/ops' Container against MemoryPebble, through the real dispatcher: what the e2e test of
// @charm-ts/ops checks against the real daemon (applyLayer's outcome, files, services, checks),
// and the Pebble events' check info and notice data (issue 19).
import type { CharmRuntimeMeta, CheckInfo, Framework, Notice } from '@charm-ts/ops';
import { type ApplyLayerResult, Charm, PathError } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { container, state } from '../state/builders.ts';
import { Context } from './context.ts';

const meta: CharmRuntimeMeta = {
  name: 'api',
  config: {},
  actions: {},
  endpoints: { requires: {}, provides: {}, peers: {} },
  containers: { web: {} },
  storage: {},
};
const layer = (command: string) => ({
  services: { web: { override: 'replace' as const, command, startup: 'enabled' as const } },
  checks: { up: { override: 'replace' as const, exec: { command: 'true' } } },
});

/** Runs `body` in a charm's install hook (or the event `on`), returning what it recorded. */
async function withCharm<T>(
  body: (charm: Charm, event: unknown) => Promise<T>,
  run: (ctx: Context) => Promise<unknown>,
): Promise<T> {
  let result: { value: T } | undefined;
  class C extends Charm {
    constructor(fw: Framework) {
      super(fw);
      const handler = async (e: unknown) => {
        result = { value: await body(this, e) };
      };
      this.on.install(handler);
      this.on.pebbleCheckFailed('web', handler);
      this.on.pebbleCustomNotice('web', handler);
    }
  }
  await run(new Context(C, { meta }));
  if (!result) throw new Error('the handler never ran');
  return result.value;
}

describe('Container on MemoryPebble', () => {
  it('applyLayer: started, then nothing, then changed', async () => {
    const outcomes = await withCharm(
      async (charm) => {
        const web = charm.unit.container('web');
        const out: ApplyLayerResult[] = [];
        out.push(await web.applyLayer('web', layer('sleep 3600')));
        out.push(await web.applyLayer('web', layer('sleep 3600')));
        out.push(await web.applyLayer('web', layer('sleep 3601')));
        await web.stop(['web']);
        out.push(await web.applyLayer('web', layer('sleep 3601')));
        return out;
      },
      (ctx) => ctx.run(ctx.on.install(), state({ containers: [container({ name: 'web' })] })),
    );
    expect(outcomes).toEqual([
      { changed: [], started: ['web'] },
      { changed: [], started: [] },
      { changed: ['web'], started: ['web'] },
      { changed: [], started: ['web'] },
    ]);
  });

  it('files: makeDirs off by default, isDir, exists; services and checks with isRunning', async () => {
    const seen = await withCharm(
      async (charm) => {
        const web = charm.unit.container('web');
        const missingParent = await web.push('/srv/a/b.txt', 'x').catch((e: unknown) => e);
        await web.push('/srv/a/b.txt', 'x', { makeDirs: true });
        await web.applyLayer('web', layer('sleep 3600'));
        const checks = await web.getChecks();
        await web.stopChecks(['up']);
        return {
          missingParent: missingParent instanceof PathError && missingParent.kind,
          isDir: [await web.isDir('/srv/a'), await web.isDir('/srv/a/b.txt')],
          exists: await web.exists('/srv/nope'),
          running: (await web.getService('web')).isRunning(),
          checkRunning: [checks.up?.isRunning(), (await web.getCheck('up')).isRunning()],
        };
      },
      (ctx) => ctx.run(ctx.on.install(), state({ containers: [container({ name: 'web' })] })),
    );
    expect(seen).toEqual({
      missingParent: 'not-found',
      isDir: [true, false],
      exists: false,
      running: true,
      checkRunning: [true, false],
    });
  });

  it('pebble-check-failed carries the check, its info read on demand', async () => {
    const web = container({ name: 'web', layers: { web: layer('sleep 3600') } });
    const info = await withCharm(
      async (_charm, e) => {
        const event = e as {
          checkName: string;
          check: { name: string; get(): Promise<CheckInfo> };
        };
        expect(event.check.name).toBe(event.checkName);
        return event.check.get();
      },
      (ctx) => ctx.run(ctx.on.pebbleCheckFailed(web, 'up'), state({ containers: [web] })),
    );
    expect(info).toMatchObject({ name: 'up', status: 'down' });
  });

  it('pebble-custom-notice carries the notice, its data read on demand', async () => {
    const web = container({ name: 'web' });
    const notice = await withCharm(
      async (_charm, e) => (e as { notice: { get(): Promise<Notice> } }).notice.get(),
      (ctx) =>
        ctx.run(
          ctx.on.pebbleCustomNotice(web, { key: 'example.com/rotated', data: { path: '/x' } }),
          state({ containers: [web] }),
        ),
    );
    expect(notice).toMatchObject({ key: 'example.com/rotated', lastData: { path: '/x' } });
  });
});
