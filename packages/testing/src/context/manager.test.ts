/**
 * `ctx.manager`: stopping within a run to look at the charm object (Scenario's Manager), and
 * `ctx.on.custom`: a library's own event emitted by a test. Both on the ingress-library fixture,
 * whose charm holds its IngressRequirer as `charm.ingress`.
 */
import { fileURLToPath } from 'node:url';
import { Charm, type Framework } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { InconsistentStateError, UncaughtCharmError } from '../errors.ts';
import { container, deferred, relation, state, status } from '../state/builders.ts';
import { Context } from './context.ts';
import { IngressDemoCharm } from './fixtures/ingress-library/charm.ts';
import type { IngressRequirerEvents } from './fixtures/ingress-library/ingress-requirer.ts';

const charmDir = fileURLToPath(new URL('./fixtures/ingress-library', import.meta.url));
const ctx = new Context(IngressDemoCharm, { charmDir });
const INGRESS_URL = 'http://traefik.example/test-model-ingress-demo';
const NS = 'ingress-requirer[ingress]';
const granted = () =>
  relation({
    endpoint: 'ingress',
    remoteApp: 'traefik',
    remoteAppData: { ingress: JSON.stringify({ url: INGRESS_URL }) },
    id: 7,
  });
const ready = (rel = granted()) =>
  state({ leader: true, relations: [rel], containers: [container({ name: 'web' })] });

describe('ctx.manager', () => {
  it('stops after construction and before the commit, then finishes the run', async () => {
    const seen: string[] = [];
    const out = await ctx.manager(ctx.on.relationChanged(granted()), ready(), async (manager) => {
      expect(manager.phase).toBe('constructed');
      seen.push(`constructed: url=${manager.charm.ingress.url}`);
      expect(manager.storedState).toMatchObject({ readyEvents: 0 });
      await manager.emit();
      expect(manager.phase).toBe('before-commit');
      seen.push(`before commit: url=${manager.charm.ingress.url}`);
      // pre-commit observers ran; the state is not saved yet, but would be as it is now.
      expect(manager.storedState).toMatchObject({ url: INGRESS_URL, readyEvents: 1, commits: 1 });
      expect(ctx.hookToolCalls.some((c) => c.tool === 'state-set')).toBe(false);
    });
    expect(seen).toEqual(['constructed: url=null', `before commit: url=${INGRESS_URL}`]);
    expect(out.storedState).toMatchObject({
      url: INGRESS_URL,
      readyEvents: 1,
      [NS]: { currentUrl: INGRESS_URL },
    });
    expect(out.unitStatus).toEqual(status.active(`at ${INGRESS_URL}`));
  });

  it('finishes the run when the test looks only after construction', async () => {
    const out = await ctx.manager(ctx.on.relationChanged(granted()), ready(), (manager) => {
      expect(manager.charm.ingress.url).toBeNull();
    });
    expect(out.storedState).toMatchObject({ readyEvents: 1 });
  });

  it('shows the deferred events about to run again, then those queued', async () => {
    const queued = deferred(ctx.on.configChanged(), 'nothing');
    await ctx.manager(ctx.on.updateStatus(), state({ deferred: [queued] }), async (manager) => {
      expect(manager.deferred).toEqual([queued]);
      await manager.emit();
      expect(manager.deferred).toEqual([]);
    });
  });

  it('the charm failing while it runs: emit() throws UncaughtCharmError', async () => {
    class Failing extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.start(() => {
          throw new Error('boom');
        });
      }
    }
    const failing = new Context(Failing, { meta: await ctx.meta() });
    const error = await failing
      .manager(failing.on.start(), state(), async (manager) => {
        await manager.emit();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as Error).message).toContain('boom');
  });

  it('what the test throws comes out, and the manager is not usable afterwards', async () => {
    let kept: { phase: unknown } | undefined;
    const error = await ctx
      .manager(ctx.on.updateStatus(), state(), (manager) => {
        kept = manager;
        throw new Error('assertion failed');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('assertion failed');
    expect(() => kept?.phase).toThrow('only usable inside the callback of ctx.manager');
  });

  it('emit() runs once', async () => {
    await ctx.manager(ctx.on.updateStatus(), state(), async (manager) => {
      await manager.emit();
      await expect(manager.emit()).rejects.toThrow('emit() runs once');
    });
  });
});

describe('ctx.on.custom', () => {
  it("emits the library's event to the charm's observer, the relation rebuilt from the State", async () => {
    const rel = granted();
    const out = await ctx.run(
      ctx.on.custom<IngressRequirerEvents, 'ready'>(NS, 'ready', {
        relation: rel,
        url: INGRESS_URL,
      }),
      ready(rel),
    );
    expect(ctx.jujuLog.map((l) => l.message)).toContain(
      `ingress ready at ${INGRESS_URL} (relation 7)`,
    );
    // Only the custom event ran: the library itself saw no relation-changed.
    expect(out.storedState).toMatchObject({
      url: INGRESS_URL,
      readyEvents: 1,
      [NS]: { currentUrl: null },
    });
  });

  it('runs in the environment of the event given as `during`', async () => {
    const rel = granted();
    await ctx.manager(
      ctx.on.custom(NS, 'revoked', { relation: rel }, { during: ctx.on.relationBroken(rel) }),
      ready(rel),
      async (manager) => {
        await manager.emit();
        expect(manager.charm.framework.model.name).toBe('test-model');
      },
    );
    expect(ctx.jujuLog.map((l) => l.message)).toContain('ingress revoked');
  });

  it('refuses a payload relation that is not in the State, naming the field', async () => {
    const error = await ctx
      .run(
        ctx.on.custom(NS, 'ready', {
          relation: relation({ endpoint: 'ingress', id: 99 }),
          url: 'x',
        }),
        ready(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InconsistentStateError);
    expect((error as InconsistentStateError).field).toBe('event.payload.relation');
  });

  it('a namespace no library of the charm has: the error lists the ones it has', async () => {
    const error = await ctx
      .run(ctx.on.custom('ingress-requirer[other]', 'ready', {}), state())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as Error).message).toContain(
      "the charm has no library with the namespace 'ingress-requirer[other]' (its libraries: ingress-requirer[ingress])",
    );
  });
});
