import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

const inRelation = {
  hook: 'db-relation-changed',
  relationId: 3,
  remoteUnit: 'b/0',
  remoteApp: 'b',
};

describe('relation-get', () => {
  test('reads the remote unit by default, and the remote app with --app', () => {
    const { run } = fakeContext(fakeModel(), 'a/0', inRelation);
    expect(run('relation-get', ['--format=json', '-'])).toEqual({
      code: 0,
      stdout: '{"ip":"10.0.0.1"}\n',
      stderr: '',
    });
    expect(run('relation-get', ['ip']).stdout).toBe('10.0.0.1\n');
    expect(run('relation-get', ['--app', '--format', 'json']).stdout).toBe('{"want":"db"}\n');
    expect(run('relation-get', ['--format=json', 'missing']).stdout).toBe('null\n');
  });

  test('own app bag: leader only, except on a peer relation', () => {
    const model = fakeModel();
    expect(
      fakeContext(model, 'a/0').run('relation-get', ['-r', 'db:3', '--app', '-', 'a']).stdout,
    ).toBe('url: x\n');
    expect(
      fakeContext(model, 'a/1').run('relation-get', ['-r', 'db:3', '--app', '-', 'a']),
    ).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR permission denied\n',
    });
    expect(
      fakeContext(model, 'a/1').run('relation-get', ['-r', '0', '--app', 'shared', 'a']).stdout,
    ).toBe('yes\n');
  });

  test('a departed unit’s data stays readable while its departed hook runs', () => {
    const model = fakeModel();
    delete model.units['b/0'];
    const departed = { ...inRelation, hook: 'db-relation-departed', departingUnit: 'b/0' };
    expect(fakeContext(model, 'a/0', departed).run('relation-get', ['ip']).stdout).toBe(
      '10.0.0.1\n',
    );
    expect(fakeContext(model, 'a/0').run('relation-get', ['-r', '3', '-', 'b/7']).code).toBe(1);
  });

  test('Juju’s usage errors exit 2', () => {
    const { run } = fakeContext(fakeModel(), 'a/0');
    expect(run('relation-get', ['-r', 'unknown:123'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR invalid value "unknown:123" for option -r: relation not found\n',
    });
    expect(run('relation-get', ['-r', 'bad']).stderr).toBe(
      'ERROR invalid value "bad" for option -r: invalid relation id\n',
    );
    expect(run('relation-get', []).stderr).toBe('ERROR no relation id specified\n');
    expect(run('relation-get', ['-r', '3'])).toMatchObject({
      code: 2,
      stderr: 'ERROR no unit or application specified\n',
    });
    expect(run('relation-get', ['--bogus']).stderr).toBe(
      'ERROR flag provided but not defined: --bogus\n',
    );
  });
});

describe('relation-set', () => {
  test('writes only the draft; empty values delete; --file - reads YAML', () => {
    const model = fakeModel();
    const { ctx, run } = fakeContext(model, 'a/0', inRelation);
    expect(run('relation-set', ['host=', 'port=5432']).code).toBe(0);
    expect(run('relation-set', ['--file', '-'], 'user: bob\n').code).toBe(0);
    expect(ctx.draft.relations['3']?.unitData['a/0']).toEqual({ port: '5432', user: 'bob' });
    expect(model.relations['3']?.unitData['a/0']).toEqual({ host: 'h0' });
    expect(run('relation-get', ['-', 'a/0']).stdout).toBe('port: "5432"\nuser: bob\n');
  });

  test('app data: leader only', () => {
    const model = fakeModel();
    expect(fakeContext(model, 'a/1', inRelation).run('relation-set', ['--app', 'x=1'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR cannot write relation settings\n',
    });
    const leader = fakeContext(model, 'a/0', inRelation);
    expect(leader.run('relation-set', ['--app', 'x=1']).code).toBe(0);
    expect(leader.ctx.draft.relations['3']?.appData.a).toEqual({ url: 'x', x: '1' });
  });
});

describe('relation-ids, relation-list', () => {
  test('list relation ids per endpoint and the units this unit has seen join', () => {
    const { run } = fakeContext(fakeModel(), 'b/0', {
      hook: 'backend-relation-changed',
      relationId: 3,
    });
    expect(run('relation-ids', ['backend', '--format=json']).stdout).toBe('["backend:3"]\n');
    expect(run('relation-ids', []).stdout).toBe('backend:3\n');
    // A relation being removed is listed while a remote unit is still in scope, and no longer
    // once every one has departed: then it is broken (juju/juju#17464).
    const dying = fakeModel();
    const rel = dying.relations['3'] as { dying?: boolean; members: Record<string, string[]> };
    rel.dying = true;
    expect(fakeContext(dying, 'b/0').run('relation-ids', ['backend']).stdout).toBe('backend:3\n');
    rel.members['b/0'] = [];
    expect(fakeContext(dying, 'b/0').run('relation-ids', ['backend']).stdout).toBe('');
    expect(run('relation-list', ['--format=json']).stdout).toBe('["a/0","a/1"]\n');
    expect(run('relation-list', ['--app']).stdout).toBe('a\n');
    expect(run('relation-model-get', ['--format=json']).stdout).toMatch(
      /^\{"uuid":"[0-9a-f-]+"\}\n$/,
    );
  });
});
