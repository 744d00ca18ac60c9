import { describe, expect, it } from 'vitest';
import { fakeJuju, hookEnv } from '../test/fake-juju.ts';
import { Charm } from './charm.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { dispatch } from './dispatch.ts';
import { FrameworkError } from './errors.ts';
import type { LibraryEvent } from './events.ts';
import type { Framework } from './framework.ts';
import { Library } from './library.ts';
import type { Relation } from './model/relation.ts';

const meta: CharmRuntimeMeta = {
  name: 'demo',
  config: {},
  actions: {},
  endpoints: { requires: { db: { interface: 'pg' } }, provides: {}, peers: {} },
  containers: {},
  storage: {},
};
const rel = {
  JUJU_RELATION: 'db',
  JUJU_RELATION_ID: 'db:3',
  JUJU_REMOTE_APP: 'pg',
  JUJU_REMOTE_UNIT: 'pg/0',
};

interface DbEvents {
  created: { relation: Relation; user: string };
  gone: Record<string, never>;
}

/** A small database-requirer library: `created` on relation-changed, counting in its state. */
class DbRequirer extends Library<DbEvents> {
  readonly stored = this.storedState({ created: 0 });
  constructor(parent: { framework: Framework; namespace: string }, key = 'db') {
    super(parent, 'db-requirer', key);
    this.framework.on.relationChanged('db', async (e) => {
      this.stored.created++;
      await this.emit('created', { relation: e.relation, user: 'u1' });
    });
  }
}

describe('Library', () => {
  it('emits typed events to the charm, in registration order, before reconcile', async () => {
    const seen: string[] = [];
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        const db = new DbRequirer(this);
        db.on.created((e) => {
          seen.push(
            `created ${e.user} on ${e.relation.endpoint}:${e.relation.id} from ${e.source}/${e.name}`,
          );
        });
        db.on.created(() => {
          seen.push('second observer');
        });
        this.on.relationChanged('db', () => {
          seen.push('charm observer');
        });
      }
      override reconcile() {
        seen.push('reconcile');
      }
    }
    const j = fakeJuju();
    expect(
      await dispatch({ charm: C, env: hookEnv('db-relation-changed', rel), tools: j.tools, meta }),
    ).toEqual({ exitCode: 0 });
    expect(seen).toEqual([
      'created u1 on db:3 from db-requirer[db]/created',
      'second observer',
      'charm observer',
      'reconcile',
    ]);
    expect(j.persisted()).toMatchObject({ stored: { 'db-requirer[db]': { created: 1 } } });
  });

  it('a deferred library event comes back first on the next dispatch, to that observer only', async () => {
    const seen: string[] = [];
    let defer = true;
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        const db = new DbRequirer(this);
        db.on.created(() => {
          seen.push('first');
        });
        const second = (e: LibraryEvent<DbEvents['created']>) => {
          seen.push(`second ${e.user} ${e.relation.id} redelivered=${e.redelivered}`);
          if (defer) e.defer();
        };
        db.on.created(second);
        this.on.configChanged(() => {
          seen.push('config-changed');
        });
      }
    }
    const j = fakeJuju();
    await dispatch({ charm: C, env: hookEnv('db-relation-changed', rel), tools: j.tools, meta });
    expect(j.persisted()).toMatchObject({
      deferred: [
        {
          event: 'db-requirer[db]/created',
          observer: 'db-requirer[db]/created#second',
          data: { relation: { $relation: 'db:3' }, user: 'u1' },
        },
      ],
    });
    defer = false;
    seen.length = 0;
    await dispatch({ charm: C, env: hookEnv('config-changed'), tools: j.tools, meta });
    expect(seen).toEqual(['second u1 3 redelivered=true', 'config-changed']);
    expect(j.persisted()).toMatchObject({ deferred: [] });
  });

  it("a payload field named as one of the event's own is refused, not silently lost", async () => {
    class Named extends Library<{ hello: { name: string } }> {
      constructor(parent: Charm) {
        super(parent, 'named');
        this.framework.on.install(() => this.emit('hello', { name: 'ann' }));
      }
    }
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        new Named(this).on.hello(() => undefined);
      }
    }
    const result = await dispatch({
      charm: C,
      env: hookEnv('install'),
      tools: fakeJuju().tools,
      meta,
    });
    expect(result.error).toBeInstanceOf(FrameworkError);
    expect(String(result.error)).toContain(
      "cannot emit named/hello: its payload field 'name' is one of the event's own (name, source, redelivered, defer); rename it",
    );
  });

  it('a payload that is not JSON data cannot be deferred: the error names the field', async () => {
    class Odd extends Library<{ tick: { when: Date } }> {
      constructor(parent: Charm) {
        super(parent, 'odd');
        this.framework.on.install(() => this.emit('tick', { when: new Date(0) }));
      }
    }
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        new Odd(this).on.tick((e) => e.defer());
      }
    }
    const result = await dispatch({
      charm: C,
      env: hookEnv('install'),
      tools: fakeJuju().tools,
      meta,
    });
    expect(result.error).toBeInstanceOf(FrameworkError);
    expect(String(result.error)).toMatch(
      "cannot defer odd/tick: its payload field 'when' is a Date, not JSON data, a Relation or a Secret",
    );
  });

  it('namespaces: nested libraries, and clashes are refused', async () => {
    const errors: string[] = [];
    class Inner extends Library {
      constructor(parent: { framework: Framework; namespace: string }) {
        super(parent, 'inner', 'x');
      }
    }
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        const db = new DbRequirer(this);
        expect(new Inner(db).namespace).toBe('db-requirer[db]/inner[x]');
        for (const make of [
          () => new DbRequirer(this),
          () => new DbRequirer(this, 'a]b'),
          () =>
            new Inner({ framework: fw, namespace: '' }) &&
            new Inner({ framework: fw, namespace: '' }),
          () => this.storedState({ 'db-requirer[db]': 1 }),
          () => new (class extends Library {})(this, 'Bad Kind'),
        ]) {
          try {
            make();
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      }
    }
    const result = await dispatch({
      charm: C,
      env: hookEnv('install'),
      tools: fakeJuju().tools,
      meta,
    });
    expect(result).toEqual({ exitCode: 0 });
    expect(errors).toEqual([
      "two objects claim the namespace 'db-requirer[db]': give each library its own key (e.g. its endpoint)",
      "library key 'a]b' of db-requirer must not be empty or hold [, ] or /",
      "two objects claim the namespace 'inner[x]': give each library its own key (e.g. its endpoint)",
      "stored state key 'db-requirer[db]' is the namespace of a library of this charm; rename the key",
      "library kind 'Bad Kind' must be lowercase letters, digits and dashes (e.g. 'ingress-requirer')",
    ]);
  });

  it('preCommit runs before the state is saved (and can still change it); commit after', async () => {
    const order: string[] = [];
    const j = fakeJuju();
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        const stored = this.storedState({ n: 0 });
        this.on.preCommit((e) => {
          order.push(`${e.name}: ${j.calls.filter((c) => c[0] === 'state-set').length} saves`);
          stored.n++;
        });
        this.framework.on.commit((e) => {
          order.push(`${e.name}: ${j.calls.filter((c) => c[0] === 'state-set').length} saves`);
        });
      }
    }
    await dispatch({ charm: C, env: hookEnv('update-status'), tools: j.tools, meta });
    expect(order).toEqual(['pre-commit: 0 saves', 'commit: 1 saves']);
    expect(j.persisted()).toMatchObject({ stored: { n: 1 } });
  });

  it('the charm and its libraries share one logger; lines go out in one juju-log at the end', async () => {
    class Chatty extends Library {
      constructor(parent: Charm) {
        super(parent, 'chatty');
        this.framework.on.install(() => {
          this.logger.info('library line');
        });
      }
    }
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        new Chatty(this);
        this.on.install(() => {
          this.logger.info('charm line');
          this.logger.debug('detail');
          expect(this.charmDir).toBe('/var/lib/juju/agents/unit-demo-0/charm');
          expect(this.meta?.name).toBe('demo');
        });
      }
    }
    const j = fakeJuju();
    expect(await dispatch({ charm: C, env: hookEnv('install'), tools: j.tools, meta })).toEqual({
      exitCode: 0,
    });
    expect(j.calls.filter((c) => c[0] === 'juju-log')).toEqual([
      ['juju-log', '--log-level', 'INFO', '--', 'library line\ncharm line'],
      ['juju-log', '--log-level', 'DEBUG', '--', 'detail'],
    ]);
  });

  it('CRITICAL goes out at once, with the lines before it; a failure logs after them', async () => {
    const j = fakeJuju();
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.install(async () => {
          this.logger.warning('w');
          this.logger.critical('c');
          await this.framework.logger.flush();
          expect(j.calls.filter((c) => c[0] === 'juju-log').length).toBe(2);
          this.logger.info('before failing');
          throw new Error('boom');
        });
      }
    }
    const result = await dispatch({ charm: C, env: hookEnv('install'), tools: j.tools, meta });
    expect(result.exitCode).toBe(1);
    const logs = j.calls.filter((c) => c[0] === 'juju-log');
    expect(logs.slice(0, 3)).toEqual([
      ['juju-log', '--log-level', 'WARNING', '--', 'w'],
      ['juju-log', '--log-level', 'CRITICAL', '--', 'c'],
      ['juju-log', '--log-level', 'INFO', '--', 'before failing'],
    ]);
    expect(logs[3]?.slice(0, 4)).toEqual(['juju-log', '--log-level', 'ERROR', '--']);
    expect(logs[3]?.[4]).toMatch(/^Uncaught error in charm code: Error: boom/);
  });
});
