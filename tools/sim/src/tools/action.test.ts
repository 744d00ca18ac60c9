import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

describe('action tools', () => {
  test('action-get/-set/-fail/-log inside an action', () => {
    const action = {
      name: 'backup',
      params: { to: { path: '/x' }, n: 2 },
      results: {},
      log: [] as string[],
    };
    const { run, logs } = fakeContext(fakeModel(), 'a/0', undefined, action);
    expect(run('action-get', ['to.path']).stdout).toBe('/x\n');
    expect(run('action-get', ['--format=json']).stdout).toBe('{"n":2,"to":{"path":"/x"}}\n');
    expect(run('action-set', ['out.size=10', 'ok=yes']).code).toBe(0);
    expect(action.results).toEqual({ out: { size: '10' }, ok: 'yes' });
    expect(run('action-set', ['stdout=x']).stderr).toBe(
      'ERROR cannot set reserved action key "stdout"\n',
    );
    expect(run('action-set', ['Bad=x']).code).toBe(2);
    expect(run('action-log', ['halfway']).code).toBe(0);
    expect(run('action-fail', ['disk full']).code).toBe(0);
    expect(action).toMatchObject({ failure: 'disk full', log: ['halfway'] });
    expect(logs).toEqual(['INFO action backup: halfway']);
  });

  test('outside an action they fail with Juju’s message; argument errors come first', () => {
    const { run } = fakeContext(fakeModel(), 'a/0', { hook: 'start' });
    expect(run('action-get', [])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR not running an action\n',
    });
    expect(run('action-set', [])).toMatchObject({
      code: 2,
      stderr: 'ERROR no key=value pairs specified\n',
    });
  });
});
