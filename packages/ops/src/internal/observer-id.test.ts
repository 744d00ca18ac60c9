// Deferred events go back to the observer that deferred them when the charm registers its
// observers in another order on the next dispatch (a library constructed only on some hooks,
// handlers moved around in a new revision): they name it by the handler, not its position.
import { describe, expect, it } from 'vitest';
import { fakeJuju, hookEnv } from '../../test/fake-juju.ts';
import { Charm } from '../charm.ts';
import type { CharmRuntimeMeta } from '../charmcraft/types.ts';
import { dispatch } from '../dispatch.ts';
import type { UnitEvent } from '../events.ts';
import type { Framework } from '../framework.ts';
import { Library, type LibraryParent } from '../library.ts';
import { handlerLabel } from './observer-id.ts';

const meta: CharmRuntimeMeta = {
  name: 'demo',
  config: {},
  actions: {},
  endpoints: { requires: {}, provides: {}, peers: {} },
  containers: {},
  storage: {},
};

type CharmClass = new (fw: Framework) => Charm;

/** Runs config-changed with `first`, then update-status with `second`, over one Juju. */
async function deferThenRedeliver(first: CharmClass, second: CharmClass) {
  const j = fakeJuju();
  expect(
    await dispatch({ charm: first, env: hookEnv('config-changed'), tools: j.tools, meta }),
  ).toEqual({
    exitCode: 0,
  });
  const queued = (j.persisted().deferred as Array<{ observer: string }>).map((d) => d.observer);
  seen.length = 0;
  expect(
    await dispatch({ charm: second, env: hookEnv('update-status'), tools: j.tools, meta }),
  ).toEqual({
    exitCode: 0,
  });
  return { queued, j };
}

const seen: string[] = [];

/** Defers on the first delivery only. */
function deferOnce(e: UnitEvent, who: string): void {
  seen.push(`${who}${e.redelivered ? ' (redelivered)' : ''}`);
  if (!e.redelivered) e.defer();
}

describe('deferred events and the order of observers', () => {
  it('named handlers: the event goes back to the one that deferred it, wherever it now is', async () => {
    class V1 extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(this.onWeb.bind(this));
        this.on.configChanged(this.onDb.bind(this));
      }
      onWeb() {
        seen.push('web');
      }
      onDb(e: UnitEvent) {
        deferOnce(e, 'db');
      }
    }
    // The same handlers, registered the other way round.
    class Swapped extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(this.onDb.bind(this));
        this.on.configChanged(this.onWeb.bind(this));
      }
      onWeb() {
        seen.push('web');
      }
      onDb(e: UnitEvent) {
        deferOnce(e, 'db');
      }
    }
    const { queued } = await deferThenRedeliver(V1, Swapped);
    expect(queued).toEqual(['hooks/config-changed#onDb']);
    expect(seen).toEqual(['db (redelivered)']);
  });

  it('anonymous handlers: named by their code, so a swap does not matter either', async () => {
    const handlers = [
      () => {
        seen.push('web');
      },
      (e: UnitEvent) => deferOnce(e, 'db'),
    ] as const;
    const inOrder = (order: readonly number[]) =>
      class extends Charm {
        constructor(fw: Framework) {
          super(fw);
          for (const i of order) this.on.configChanged(handlers[i as 0 | 1]);
        }
      };
    const { queued } = await deferThenRedeliver(inOrder([0, 1]), inOrder([1, 0]));
    expect(queued).toEqual([`hooks/config-changed#${handlerLabel(handlers[1])}`]);
    expect(queued[0]).toMatch(/#~[0-9a-f]{8}$/);
    expect(seen).toEqual(['db (redelivered)']);
  });

  it('two instances of one library: named by the library too, whatever order they are built in', async () => {
    class Watcher extends Library {
      constructor(parent: LibraryParent, key: string) {
        super(parent, 'watcher', key);
        this.framework.on.configChanged(this.#onConfig.bind(this));
      }
      #onConfig(e: UnitEvent) {
        if (this.namespace === 'watcher[b]') deferOnce(e, this.namespace);
        else seen.push(this.namespace);
      }
    }
    const built = (keys: string[]) =>
      class extends Charm {
        constructor(fw: Framework) {
          super(fw);
          for (const key of keys) new Watcher(this, key);
        }
      };
    const { queued } = await deferThenRedeliver(built(['a', 'b']), built(['b', 'a']));
    expect(queued).toEqual(['hooks/config-changed##onConfig@watcher[b]']);
    expect(seen).toEqual(['watcher[b] (redelivered)']);
  });

  it('the same handler registered twice: the second is told apart by :1', async () => {
    class Twice extends Charm {
      #n = 0;
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(this.onConfig.bind(this));
        this.on.configChanged(this.onConfig.bind(this));
      }
      onConfig(e: UnitEvent) {
        this.#n++;
        if (this.#n === 2) deferOnce(e, 'second');
        else seen.push(`call ${this.#n}`);
      }
    }
    const { queued } = await deferThenRedeliver(Twice, Twice);
    expect(queued).toEqual(['hooks/config-changed#onConfig:1']);
  });

  it('an id of an older charm-ts (the position) still finds its observer', async () => {
    const j = fakeJuju();
    j.state['charm-ts'] = JSON.stringify({
      v: 1,
      stored: {},
      deferred: [{ hook: 'hooks/config-changed', observer: 'hooks/config-changed#1', env: {} }],
      status: {},
    });
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(() => void seen.push('first'));
        this.on.configChanged(() => void seen.push('second'));
      }
    }
    seen.length = 0;
    await dispatch({ charm: C, env: hookEnv('update-status'), tools: j.tools, meta });
    expect(seen).toEqual(['second']);
  });

  it('an observer the charm no longer has: the event is dropped, with a warning naming it', async () => {
    class Before extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(this.onOld.bind(this));
      }
      onOld(e: UnitEvent) {
        deferOnce(e, 'old');
      }
    }
    class After extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.configChanged(this.onNew.bind(this));
      }
      onNew() {
        seen.push('new');
      }
    }
    const { j } = await deferThenRedeliver(Before, After);
    expect(seen).toEqual([]);
    expect(j.persisted()).toMatchObject({ deferred: [] });
    expect(j.calls).toContainEqual([
      'juju-log',
      '--log-level',
      'WARNING',
      '--',
      'deferred hooks/config-changed dropped: this charm has no observer hooks/config-changed#onOld (renamed, or an anonymous handler whose code changed)',
    ]);
  });
});
