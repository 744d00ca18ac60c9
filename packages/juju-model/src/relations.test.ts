import { describe, expect, test } from 'vitest';
import { beginHook, HookContext, type HookHost } from './context.ts';
import { contractModel } from './contract/fixture.ts';
import type { HookInfo, JujuModel } from './model.ts';
import { relationIds, relationKey, relationList } from './relations.ts';

const host = { now: () => 0, log: () => {}, changed: () => {} } as unknown as HookHost;

function context(model: JujuModel, unit: string, hook?: HookInfo): HookContext {
  const u = model.units[unit];
  if (!u) throw new Error(unit);
  return new HookContext({ model, unit, hook, draft: beginHook(model, u), host });
}

describe('relationKey', () => {
  test('the requirer before the provider, whichever side asks; a peer relation alone', () => {
    const model = contractModel();
    const rel = model.relations['1'];
    if (!rel) throw new Error('fixture');
    rel.endpoints.reverse();
    expect(relationKey(model, rel)).toBe('app:db pg:database');
    expect(relationKey(model, model.relations['0'] as never)).toBe('app:cluster');
  });
});

describe('relationIds', () => {
  test('sorted as text (db:10 before db:2), as Juju sorts them', () => {
    const model = contractModel();
    const db = model.relations['1'];
    if (!db) throw new Error('fixture');
    for (const id of [2, 10]) model.relations[String(id)] = { ...structuredClone(db), id };
    const ids = relationIds(context(model, 'app/0'), 'db').map((r) => r.id);
    expect(ids).toEqual([1, 10, 2]);
  });

  test('a unit that ran relation-broken for a removed relation no longer knows it', () => {
    const model = contractModel();
    const rel = model.relations['1'];
    if (!rel) throw new Error('fixture');
    rel.dying = true;
    rel.created = ['app/1'];
    const ctx = context(model, 'app/0');
    expect(relationIds(ctx, 'db')).toEqual([]);
    expect(() => ctx.relation('db:1')).toThrow('relation not found');
  });

  test('a unit leaving keeps its relations listed (they are alive) until it departs them', () => {
    const model = contractModel();
    const members = model.relations['1']?.members;
    if (members) members['app/0'] = [];
    const ctx = context(model, 'app/0', { hook: 'db-relation-broken', relationId: 1 });
    expect(relationIds(ctx, 'db').map((r) => r.id)).toEqual([1]);
    expect(relationList(ctx, model.relations['1'] as never)).toEqual([]);
  });
});
