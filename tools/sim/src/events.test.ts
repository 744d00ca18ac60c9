import type { JujuRelation } from '@charm-ts/juju-model';
import { describe, expect, test } from 'vitest';
import { fakeModel } from '../test/fake-context.ts';
import { enqueue, queueLeave, queueSetup } from './events.ts';
import type { UnitState } from './model.ts';

describe('queueSetup', () => {
  test('install → relation-created → leader-elected → config-changed → start → storage, then joins', () => {
    const model = fakeModel();
    model.apps.a?.units.push('a/2');
    model.units['a/2'] = {
      ...structuredClone(model.units['a/1'] as UnitState),
      name: 'a/2',
      queue: [],
    };
    queueSetup(model, 'a/2');
    expect(model.units['a/2']?.queue.map((q) => q.hook)).toEqual([
      'install',
      'peers-relation-created',
      'db-relation-created',
      'leader-settings-changed',
      'config-changed',
      'start',
      'data-storage-attached',
      'peers-relation-joined',
      'peers-relation-changed',
      'peers-relation-joined',
      'peers-relation-changed',
      'db-relation-joined',
      'db-relation-changed',
    ]);
    expect(model.units['b/0']?.queue).toEqual([
      { hook: 'backend-relation-joined', relationId: 3, remoteUnit: 'a/2', remoteApp: 'a' },
      { hook: 'backend-relation-changed', relationId: 3, remoteUnit: 'a/2', remoteApp: 'a' },
    ]);
    expect(model.units['a/0']?.queue.map((q) => `${q.hook} ${q.remoteUnit}`)).toEqual([
      'peers-relation-joined a/2',
      'peers-relation-changed a/2',
    ]);
  });
});

describe('enqueue', () => {
  test('coalesces a changed hook already waiting, but not others', () => {
    const model = fakeModel();
    const changed = {
      hook: 'db-relation-changed',
      relationId: 3,
      remoteUnit: 'b/0',
      remoteApp: 'b',
    };
    enqueue(model, 'a/0', changed);
    enqueue(model, 'a/0', { ...changed });
    enqueue(model, 'a/0', { hook: 'install' });
    enqueue(model, 'a/0', { hook: 'install' });
    expect(model.units['a/0']?.queue.map((q) => q.hook)).toEqual([
      'db-relation-changed',
      'install',
      'install',
    ]);
  });
});

describe('queueLeave', () => {
  test('departed for each member, then broken (not for a live peer relation)', () => {
    const model = fakeModel();
    queueLeave(model, model.relations['3'] as JujuRelation, 'b/0');
    expect(model.units['b/0']?.queue).toEqual([
      {
        hook: 'backend-relation-departed',
        relationId: 3,
        remoteUnit: 'a/0',
        remoteApp: 'a',
        departingUnit: 'b/0',
      },
      {
        hook: 'backend-relation-departed',
        relationId: 3,
        remoteUnit: 'a/1',
        remoteApp: 'a',
        departingUnit: 'b/0',
      },
      { hook: 'backend-relation-broken', relationId: 3, remoteApp: 'a' },
    ]);
    queueLeave(model, model.relations['0'] as JujuRelation, 'a/1');
    expect(model.units['a/1']?.queue.map((q) => q.hook)).toEqual(['peers-relation-departed']);
  });
});
