// DispatchControl: what @charm-ts/testing's Manager and custom events stand on.
import { describe, expect, it } from 'vitest';
import { fakeJuju, hookEnv } from '../test/fake-juju.ts';
import { Charm } from './charm.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { dispatch } from './dispatch.ts';
import { FrameworkError } from './errors.ts';
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

class Db extends Library<{ created: { relation: Relation; user: string } }> {
  constructor(charm: Charm) {
    super(charm, 'db-requirer', 'db');
  }
}

class Counting extends Charm {
  readonly stored = this.storedState({ configs: 0, created: [] as string[] });
  readonly seen: string[] = [];
  constructor(fw: Framework) {
    super(fw);
    this.on.configChanged(() => {
      this.stored.configs++;
    });
    new Db(this).on.created((e) => {
      this.stored.created.push(`${e.user}@${e.relation.endpoint}:${e.relation.id}`);
    });
  }
  override reconcile() {
    this.seen.push('reconcile');
  }
}

describe('DispatchControl', () => {
  it('stops after construction and before the commit, showing the charm and its state', async () => {
    const j = fakeJuju();
    const seen: string[] = [];
    const result = await dispatch({
      charm: Counting,
      env: hookEnv('config-changed'),
      tools: j.tools,
      meta,
      control: {
        constructed: ({ charm, storedState }) => {
          seen.push(`constructed: configs=${(charm as Counting).stored.configs}`);
          expect(storedState).toEqual({ configs: 0, created: [] });
        },
        beforeCommit: ({ charm, storedState }) => {
          seen.push(`before commit: configs=${(charm as Counting).stored.configs}`);
          expect(storedState).toMatchObject({ configs: 1 });
          expect(j.calls.some(([tool]) => tool === 'state-set')).toBe(false);
        },
      },
    });
    expect(result).toEqual({ exitCode: 0 });
    expect(seen).toEqual(['constructed: configs=0', 'before commit: configs=1']);
    expect(j.persisted()).toMatchObject({ stored: { configs: 1 } });
  });

  it("emits a library's event in place of the hook's, relations restored from references", async () => {
    const j = fakeJuju({ 'relation-ids': '["db:3"]', 'relation-list': '["pg/0"]' });
    let charm: Counting | undefined;
    const result = await dispatch({
      charm: Counting,
      env: hookEnv('update-status'),
      tools: j.tools,
      meta,
      control: {
        constructed: (stop) => {
          charm = stop.charm as Counting;
        },
        libraryEvent: {
          event: 'db-requirer[db]/created',
          data: { relation: { $relation: 'db:3' }, user: 'u1' },
        },
      },
    });
    expect(result).toEqual({ exitCode: 0 });
    expect(j.persisted()).toMatchObject({ stored: { created: ['u1@db:3'] } });
    expect(charm?.seen).toEqual([]); // the hook's observers and reconcile() did not run
  });

  it('refuses a library event of a namespace the charm has no library for', async () => {
    const result = await dispatch({
      charm: Counting,
      env: hookEnv('update-status'),
      tools: fakeJuju().tools,
      meta,
      control: { libraryEvent: { event: 'ingress-requirer[ingress]/ready', data: {} } },
    });
    expect(result.error).toBeInstanceOf(FrameworkError);
    expect(String(result.error)).toContain(
      "cannot emit ingress-requirer[ingress]/ready: the charm has no library with the namespace 'ingress-requirer[ingress]' (its libraries: db-requirer[db])",
    );
  });
});
