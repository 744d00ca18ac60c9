import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

describe('config-get', () => {
  test('typed values; unset options only with --all', () => {
    const model = fakeModel();
    const { run } = fakeContext(model, 'a/0');
    expect(run('config-get', ['--format=json']).stdout).toBe('{"port":80}\n');
    expect(run('config-get', ['--format=json', '--all']).stdout).toBe('{"name":null,"port":80}\n');
    expect(run('config-get', ['port']).stdout).toBe('80\n');
    expect(run('config-get', ['nope', '--format=json']).stdout).toBe('null\n');
  });
});

describe('status-set and status-get', () => {
  test('unit status applies at once', () => {
    const model = fakeModel();
    const { run } = fakeContext(model, 'a/1');
    expect(run('status-set', ['active', 'all', 'good']).code).toBe(0);
    expect(model.units['a/1']?.workloadStatus).toMatchObject({
      status: 'active',
      message: 'all good',
    });
    expect(run('status-get', []).stdout).toBe('active\n');
    expect(run('status-get', ['--include-data', '--format=json']).stdout).toBe(
      '{"message":"all good","status":"active","status-data":{}}\n',
    );
  });

  test('Juju’s errors: bad status (exit 2), no args, non-leader app status', () => {
    const { run } = fakeContext(fakeModel(), 'a/1');
    expect(run('status-set', ['sleepy'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR invalid status "sleepy", expected one of [maintenance blocked waiting active]\n',
    });
    expect(run('status-set', []).stderr).toBe('ERROR invalid args, require <status> [message]\n');
    expect(run('status-set', ['--application=True', 'active'])).toMatchObject({
      code: 1,
      stderr: 'ERROR setting application status: this unit is not the leader\n',
    });
    expect(run('status-get', ['--application']).stderr).toBe(
      'ERROR finding application status: this unit is not the leader\n',
    );
  });

  test('the leader sets and reads application status', () => {
    const model = fakeModel();
    const { run } = fakeContext(model, 'a/0');
    expect(run('status-set', ['--application=False', 'maintenance', 'unit only']).code).toBe(0);
    expect(run('status-set', ['--application', 'blocked', 'need db']).code).toBe(0);
    expect(model.apps.a?.status).toMatchObject({ status: 'blocked', message: 'need db' });
    const out = JSON.parse(run('status-get', ['--application', '--format=json']).stdout);
    expect(out['application-status']).toMatchObject({ status: 'blocked', message: 'need db' });
    expect(Object.keys(out['application-status'].units)).toEqual(['a/0', 'a/1']);
  });
});

describe('is-leader, leader-get/-set', () => {
  test('smart and json output; non-leader cannot set', () => {
    const model = fakeModel();
    expect(fakeContext(model, 'a/0').run('is-leader', []).stdout).toBe('True\n');
    expect(fakeContext(model, 'a/1').run('is-leader', ['--format=json']).stdout).toBe('false\n');
    const leader = fakeContext(model, 'a/0');
    expect(leader.run('leader-set', ['k=v']).code).toBe(0);
    expect(leader.logs).toContain('leader-settings-changed');
    expect(fakeContext(model, 'a/1').run('leader-get', ['k']).stdout).toBe('v\n');
    expect(fakeContext(model, 'a/1').run('leader-set', ['k=w']).stderr).toBe(
      'ERROR cannot write leadership settings: cannot write settings: not the leader\n',
    );
  });
});

describe('state-get/-set/-delete', () => {
  test('work on the draft; limits are checked', () => {
    const model = fakeModel();
    const { ctx, run } = fakeContext(model, 'a/0');
    expect(run('state-set', ['a=1', 'b=2']).code).toBe(0);
    expect(run('state-set', ['--file', '-'], 'c: three\n').code).toBe(0);
    expect(run('state-delete', ['b']).code).toBe(0);
    expect(run('state-get', ['--format=json']).stdout).toBe('{"a":"1","c":"three"}\n');
    expect(run('state-get', ['a']).stdout).toBe('1\n');
    expect(run('state-get', ['zz', '--strict']).code).toBe(1);
    expect(model.units['a/0']?.state).toEqual({});
    expect(ctx.draft.state).toEqual({ a: '1', c: 'three' });
    expect(run('state-set', [`k=${'x'.repeat(65537)}`]).stderr).toBe(
      'ERROR max allowed value length (65536) exceeded\n',
    );
  });
});

describe('juju-log, application-version-set, credential-get', () => {
  test('log at the given level; version applies at once; no credentials', () => {
    const model = fakeModel();
    const { run, logs } = fakeContext(model, 'a/0');
    expect(run('juju-log', ['--log-level', 'WARNING', '--', 'disk', 'low']).code).toBe(0);
    expect(run('juju-log', ['hello']).code).toBe(0);
    expect(logs).toEqual(['WARNING disk low', 'INFO hello']);
    expect(run('application-version-set', ['1.2.3']).code).toBe(0);
    expect(model.apps.a?.version).toBe('1.2.3');
    expect(run('credential-get', []).stderr).toBe(
      'ERROR cannot access cloud credentials: permission denied\n',
    );
  });
});
