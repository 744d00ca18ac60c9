import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

describe('goal-state', () => {
  test('the application’s units, and each relation’s remote application and units', () => {
    const { run } = fakeContext(fakeModel(), 'a/0');
    const goal = JSON.parse(run('goal-state', ['--format=json']).stdout);
    expect(Object.keys(goal.units)).toEqual(['a/0', 'a/1']);
    expect(Object.keys(goal.relations.db)).toEqual(['b', 'b/0']);
    expect(goal.relations.db.b.status).toBe('joined');
    expect(run('goal-state', ['--format=smart']).code).toBe(2);
  });
});
