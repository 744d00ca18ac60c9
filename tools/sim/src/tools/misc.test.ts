import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';
import { tempDir } from '../../test/temp.ts';
import { runTool } from './index.ts';

describe('action tools', () => {
  test('action-get/-set/-fail/-log inside an action', () => {
    const action = {
      id: 7,
      name: 'backup',
      params: { to: { path: '/x' }, n: 2 },
      results: {},
      log: [],
    };
    const { run } = fakeContext(fakeModel(), 'a/0', undefined, action);
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
  });

  test('outside an action they fail with Juju’s message', () => {
    const { run } = fakeContext(fakeModel(), 'a/0', { hook: 'start' });
    expect(run('action-get', [])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR not running an action\n',
    });
  });
});

describe('network-get, ports, storage, goal-state', () => {
  test('network-get answers for endpoints only', () => {
    const { run } = fakeContext(fakeModel(), 'a/1');
    expect(run('network-get', ['db', '--bind-address']).stdout).toBe('10.1.1.3\n');
    const info = JSON.parse(run('network-get', ['db', '--format=json']).stdout);
    expect(info['ingress-addresses']).toEqual(['10.1.1.3']);
    expect(run('network-get', ['nope']).stderr).toBe(
      'ERROR no network config found for binding "nope"\n',
    );
  });

  test('open-port/close-port change the draft; opened-ports shows committed ports', () => {
    const model = fakeModel();
    const { ctx, run } = fakeContext(model, 'a/0');
    expect(run('open-port', ['8080']).code).toBe(0);
    expect(run('open-port', ['53/udp']).code).toBe(0);
    expect(run('open-port', ['1000-1010/tcp']).code).toBe(0);
    expect(run('close-port', ['53/udp']).code).toBe(0);
    expect(ctx.draft.ports).toEqual(['8080/tcp', '1000-1010/tcp']);
    expect(run('opened-ports', []).stdout).toBe('');
    expect(run('open-port', ['99999']).code).toBe(2);
  });

  test('storage-get/-list and goal-state', () => {
    const { run } = fakeContext(fakeModel(), 'a/0', {
      hook: 'data-storage-attached',
      storageId: 'data/0',
    });
    expect(run('storage-get', ['--format=json']).stdout).toBe(
      '{"kind":"filesystem","location":"/srv"}\n',
    );
    expect(run('storage-get', ['-s', 'data/0', 'location']).stdout).toBe('/srv\n');
    expect(run('storage-list', []).stdout).toBe('data/0\n');
    const goal = JSON.parse(run('goal-state', ['--format=json']).stdout);
    expect(Object.keys(goal.units)).toEqual(['a/0', 'a/1']);
    expect(Object.keys(goal.relations.db)).toEqual(['b', 'b/0']);
  });

  test('resource-get prints where an uploaded file resource is, and names the fix otherwise', () => {
    const model = fakeModel();
    const charm = model.apps.a?.charm as { resources: Record<string, unknown> };
    charm.resources = { blob: { type: 'file', filename: 'blob.bin' } };
    const host = tempDir('sim-res-');
    const { ctx, run } = fakeContext(model, 'a/0');
    const withHost = { ...ctx, hostAgentDir: host };
    expect(runTool(withHost, 'resource-get', ['blob']).stderr).toBe(
      'ERROR could not download resource: resource#a/blob not uploaded: deploy with --resource blob=PATH\n',
    );
    mkdirSync(join(host, 'resources', 'blob'), { recursive: true });
    writeFileSync(join(host, 'resources', 'blob', 'blob.bin'), 'x');
    expect(runTool(withHost, 'resource-get', ['blob']).stdout).toBe(
      '/var/lib/juju/agents/unit-x/resources/blob/blob.bin\n',
    );
    expect(run('resource-get', ['nope']).stderr).toBe(
      'ERROR could not download resource: resource#a/nope not found\n',
    );
  });

  test('unknown tools and --help', () => {
    const { run } = fakeContext(fakeModel(), 'a/0');
    expect(run('pod-spec-set', [])).toMatchObject({
      code: 1,
      stderr: 'ERROR unknown command "pod-spec-set"\n',
    });
    expect(run('relation-get', ['--help']).code).toBe(0);
  });
});
