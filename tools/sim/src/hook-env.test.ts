import { describe, expect, test } from 'vitest';
import { fakeModel } from '../test/fake-context.ts';
import { hookEnv } from './hook-env.ts';

describe('hookEnv', () => {
  test('always-set variables', () => {
    const model = fakeModel();
    const env = hookEnv(model, 'a/1', { kind: 'hook', hook: { hook: 'start' } }, 'ctx-1');
    expect(env).toMatchObject({
      CHARM_DIR: '/var/lib/juju/agents/unit-a-1/charm',
      JUJU_CHARM_DIR: '/var/lib/juju/agents/unit-a-1/charm',
      JUJU_CONTEXT_ID: 'ctx-1',
      JUJU_HOOK_NAME: 'start',
      JUJU_DISPATCH_PATH: 'hooks/start',
      JUJU_UNIT_NAME: 'a/1',
      JUJU_MODEL_UUID: model.uuid,
      JUJU_MODEL_NAME: 'sim',
      JUJU_VERSION: '3.6.4',
      JUJU_AGENT_SOCKET_NETWORK: 'unix',
      LANG: 'C.UTF-8',
    });
    expect(env.PATH?.startsWith('/var/lib/juju/tools/unit-a-1:')).toBe(true);
    expect(env.JUJU_RELATION).toBeUndefined();
    expect(env.HOME).toBeUndefined();
  });

  test('relation hooks: endpoint, id, remote unit and app, departing unit', () => {
    const env = hookEnv(
      fakeModel(),
      'b/0',
      {
        kind: 'hook',
        hook: {
          hook: 'backend-relation-departed',
          relationId: 3,
          remoteUnit: 'a/1',
          remoteApp: 'a',
          departingUnit: 'a/1',
        },
      },
      'c',
    );
    expect(env).toMatchObject({
      JUJU_RELATION: 'backend',
      JUJU_RELATION_ID: 'backend:3',
      JUJU_REMOTE_UNIT: 'a/1',
      JUJU_REMOTE_APP: 'a',
      JUJU_DEPARTING_UNIT: 'a/1',
    });
    const broken = hookEnv(
      fakeModel(),
      'b/0',
      { kind: 'hook', hook: { hook: 'backend-relation-broken', relationId: 3, remoteApp: 'a' } },
      'c',
    );
    expect(broken.JUJU_REMOTE_UNIT).toBe('');
    expect(broken.JUJU_DEPARTING_UNIT).toBeUndefined();
  });

  test('actions, workload notices and checks, secrets, storage', () => {
    const model = fakeModel();
    expect(hookEnv(model, 'a/0', { kind: 'action', id: 42, name: 'backup' }, 'c')).toMatchObject({
      JUJU_HOOK_NAME: '',
      JUJU_DISPATCH_PATH: 'actions/backup',
      JUJU_ACTION_NAME: 'backup',
      JUJU_ACTION_UUID: '42',
      JUJU_ACTION_TAG: 'action-42',
    });
    const notice = {
      hook: 'web-pebble-custom-notice',
      workload: 'web',
      noticeId: '5',
      noticeType: 'custom',
      noticeKey: 'a.com/x',
    };
    expect(hookEnv(model, 'a/0', { kind: 'hook', hook: notice }, 'c')).toMatchObject({
      JUJU_WORKLOAD_NAME: 'web',
      JUJU_NOTICE_ID: '5',
      JUJU_NOTICE_TYPE: 'custom',
      JUJU_NOTICE_KEY: 'a.com/x',
    });
    const check = { hook: 'web-pebble-check-failed', workload: 'web', checkName: 'up' };
    expect(hookEnv(model, 'a/0', { kind: 'hook', hook: check }, 'c').JUJU_PEBBLE_CHECK_NAME).toBe(
      'up',
    );
    const secret = { hook: 'secret-changed', secretId: 'secret:abc', secretLabel: 'l' };
    const secretEnv = hookEnv(model, 'a/0', { kind: 'hook', hook: secret }, 'c');
    expect(secretEnv).toMatchObject({ JUJU_SECRET_ID: 'secret:abc', JUJU_SECRET_LABEL: 'l' });
    expect(secretEnv.JUJU_SECRET_REVISION).toBeUndefined();
    const storage = { hook: 'data-storage-attached', storageId: 'data/0' };
    expect(hookEnv(model, 'a/0', { kind: 'hook', hook: storage }, 'c')).toMatchObject({
      JUJU_STORAGE_ID: 'data/0',
      JUJU_STORAGE_LOCATION: '/srv',
      JUJU_STORAGE_KIND: 'filesystem',
    });
  });
});
