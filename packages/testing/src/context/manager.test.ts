/**
 * `ctx.manager`: stopping within a run to look at the charm object (Scenario's Manager), and
 * `ctx.on.custom`: a library's own event emitted by a test. On a small charm whose library
 * greets the visitors of its `visitors` endpoint.
 */
import {
  Charm,
  type Framework,
  Library,
  type LibraryEvent,
  type LibraryParent,
  parseCharmcraft,
  type Relation,
  type RelationEvent,
  Status,
} from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { InconsistentStateError, UncaughtCharmError } from '../errors.ts';
import { deferred, relation, state, status } from '../state/builders.ts';
import { Context } from './context.ts';

const meta = parseCharmcraft(
  `name: host
type: charm
summary: Greets visitors.
description: For the testing library's own tests.
base: ubuntu@22.04
platforms: {amd64: }
provides:
  visitors: {interface: visit}
`,
  'charmcraft.yaml',
);

interface GreeterEvents {
  greeted: { relation: Relation; visitor: string };
  gone: { relation: Relation };
}

/** Emits `greeted` with the visiting application's name, once per name; keeps the last. */
class Greeter extends Library<GreeterEvents> {
  readonly #stored = this.storedState({ last: null as string | null });
  constructor(parent: LibraryParent) {
    super(parent, 'greeter', 'visitors');
    this.framework.on.relationChanged('visitors', (e) => this.#changed(e));
    this.framework.on.relationBroken('visitors', (e) =>
      this.emit('gone', { relation: e.relation }),
    );
  }
  get last(): string | null {
    return this.#stored.last;
  }
  async #changed(event: RelationEvent): Promise<void> {
    const name = (await event.relation.remoteAppData()).name;
    if (name && name !== this.#stored.last) {
      this.#stored.last = name;
      await this.emit('greeted', { relation: event.relation, visitor: name });
    }
  }
}

class Host extends Charm {
  readonly greeter = new Greeter(this);
  readonly #stored = this.storedState({ greeted: [] as string[], commits: 0 });
  constructor(framework: Framework) {
    super(framework);
    this.greeter.on.greeted(this.onGreeted.bind(this));
    this.greeter.on.gone(() => this.logger.info('visitor gone'));
    this.on.collectUnitStatus((e) => e.addStatus(Status.active(this.#stored.greeted.join(','))));
    this.on.preCommit(() => {
      this.#stored.commits++;
    });
  }
  onGreeted(event: LibraryEvent<GreeterEvents['greeted']>): void {
    this.#stored.greeted.push(`${event.visitor}@${event.relation.id}`);
    this.logger.info(`hello ${event.visitor} (relation ${event.relation.id})`);
  }
}

const ctx = new Context(Host, { meta });
const NS = 'greeter[visitors]';
const visitors = () =>
  relation({ endpoint: 'visitors', remoteApp: 'guest', remoteAppData: { name: 'ann' }, id: 7 });

describe('ctx.manager', () => {
  it('stops after construction and before the commit, then finishes the run', async () => {
    const seen: string[] = [];
    const input = state({ relations: [visitors()] });
    const out = await ctx.manager(ctx.on.relationChanged(visitors()), input, async (manager) => {
      expect(manager.phase).toBe('constructed');
      seen.push(`constructed: last=${manager.charm.greeter.last}`);
      expect(manager.storedState).toMatchObject({ greeted: [], commits: 0 });
      await manager.emit();
      expect(manager.phase).toBe('before-commit');
      seen.push(`before commit: last=${manager.charm.greeter.last}`);
      // pre-commit observers ran; the state is not saved yet, but would be as it is now.
      expect(manager.storedState).toMatchObject({ greeted: ['ann@7'], commits: 1 });
      expect(ctx.hookToolCalls.some((c) => c.tool === 'state-set')).toBe(false);
    });
    expect(seen).toEqual(['constructed: last=null', 'before commit: last=ann']);
    expect(out.storedState).toEqual({ greeted: ['ann@7'], commits: 1, [NS]: { last: 'ann' } });
    expect(out.unitStatus).toEqual(status.active('ann@7'));
  });

  it('finishes the run when the test looks only after construction', async () => {
    const input = state({ relations: [visitors()] });
    const out = await ctx.manager(ctx.on.relationChanged(visitors()), input, (manager) => {
      expect(manager.charm.greeter.last).toBeNull();
    });
    expect(out.storedState).toMatchObject({ greeted: ['ann@7'] });
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
    const failing = new Context(Failing, { meta });
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
    const rel = visitors();
    const out = await ctx.run(
      ctx.on.custom<GreeterEvents, 'greeted'>(NS, 'greeted', { relation: rel, visitor: 'bob' }),
      state({ relations: [rel] }),
    );
    expect(ctx.jujuLog.map((l) => l.message)).toContain('hello bob (relation 7)');
    // Only the custom event ran: the library itself saw no relation-changed.
    expect(out.storedState).toEqual({ greeted: ['bob@7'], commits: 1, [NS]: { last: null } });
  });

  it('runs in the environment of the event given as `during`', async () => {
    const rel = visitors();
    await ctx.manager(
      ctx.on.custom(NS, 'gone', { relation: rel }, { during: ctx.on.relationBroken(rel) }),
      state({ relations: [rel] }),
      async (manager) => {
        await manager.emit();
        // During relation-broken, the broken relation is out of the model (as ops has it).
        expect(await manager.charm.model.relations('visitors')).toEqual([]);
      },
    );
    expect(ctx.jujuLog.map((l) => l.message)).toContain('visitor gone');
  });

  it('refuses a payload relation that is not in the State, naming the field', async () => {
    const stranger = relation({ endpoint: 'visitors', id: 99 });
    const error = await ctx
      .run(ctx.on.custom(NS, 'gone', { relation: stranger }), state({ relations: [visitors()] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InconsistentStateError);
    expect((error as InconsistentStateError).field).toBe('event.payload.relation');
  });

  it('a namespace no library of the charm has: the error lists the ones it has', async () => {
    const error = await ctx
      .run(ctx.on.custom('greeter[other]', 'greeted', {}), state())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncaughtCharmError);
    expect((error as Error).message).toContain(
      "the charm has no library with the namespace 'greeter[other]' (its libraries: greeter[visitors])",
    );
  });
});
