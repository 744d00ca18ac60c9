import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';
import type { ModelState } from '../model.ts';

function commit(model: ModelState, ctx: ReturnType<typeof fakeContext>['ctx']): void {
  model.secrets = ctx.draft.secrets;
}

describe('secrets', () => {
  test('owner adds and grants; consumer pins a revision until --refresh', () => {
    const model = fakeModel();
    const owner = fakeContext(model, 'a/0');
    const added = owner.run('secret-add', ['--label', 'creds', 'password=one']);
    expect(added.stdout).toMatch(/^secret:[0-9a-v]{20}\n$/);
    const id = added.stdout.trim();
    expect(owner.run('secret-grant', ['-r', 'db:3', id]).code).toBe(0);
    commit(model, owner.ctx);

    const consumer = fakeContext(model, 'b/0');
    expect(consumer.run('secret-get', [id, '--format=json']).stdout).toBe('{"password":"one"}\n');
    commit(model, consumer.ctx);

    const rotate = fakeContext(model, 'a/0');
    expect(rotate.run('secret-set', [id, 'password=two']).code).toBe(0);
    expect([...rotate.ctx.draft.newRevisions]).toEqual([id]);
    commit(model, rotate.ctx);

    const later = fakeContext(model, 'b/0');
    expect(later.run('secret-get', [id, 'password']).stdout).toBe('one\n');
    expect(later.run('secret-get', [id, '--peek', 'password']).stdout).toBe('two\n');
    expect(later.run('secret-get', [id, '--refresh', 'password']).stdout).toBe('two\n');
    expect(later.run('secret-get', [id, 'password#base64']).stdout).toBe(
      `${Buffer.from('two').toString('base64')}\n`,
    );
  });

  test('labels, info, ids; errors for the ungranted, the unknown, the non-leader', () => {
    const model = fakeModel();
    const owner = fakeContext(model, 'a/0');
    const id = owner.run('secret-add', ['--label', 'creds', 'token#base64=aGk=']).stdout.trim();
    expect(owner.run('secret-get', ['--label', 'creds']).stdout).toBe('token: hi\n');
    const info = JSON.parse(owner.run('secret-info-get', ['--format=json', id]).stdout);
    expect(Object.values(info)).toEqual([{ revision: 1, label: 'creds', owner: 'application' }]);
    expect(owner.run('secret-ids', []).stdout).toBe(`${id}\n`);
    commit(model, owner.ctx);

    const stranger = fakeContext(model, 'b/0');
    expect(stranger.run('secret-get', [id])).toMatchObject({
      code: 1,
      stderr: 'ERROR permission denied\n',
    });
    expect(stranger.run('secret-get', ['secret:aaaaaaaaaaaaaaaaaaaa']).stderr).toBe(
      'ERROR secret "aaaaaaaaaaaaaaaaaaaa" not found\n',
    );
    expect(fakeContext(model, 'a/1').run('secret-add', ['x-y=1']).stderr).toBe(
      'ERROR this unit is not the leader\n',
    );
    expect(fakeContext(model, 'a/1').run('secret-add', ['--owner', 'unit', 'key=1']).code).toBe(0);
  });

  test('secret-remove of a revision, then of the whole secret', () => {
    const model = fakeModel();
    const owner = fakeContext(model, 'a/0');
    const id = owner.run('secret-add', ['key=first']).stdout.trim();
    owner.run('secret-set', [id, 'key=second']);
    expect(owner.run('secret-remove', [id, '--revision', '1']).code).toBe(0);
    expect(owner.run('secret-get', [id, 'key']).stdout).toBe('second\n');
    expect(owner.run('secret-remove', [id]).code).toBe(0);
    expect(owner.run('secret-get', [id]).code).toBe(1);
  });
});
