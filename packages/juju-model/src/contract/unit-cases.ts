/**
 * The unit rows of the contract: status and its leader rules, config, leadership settings,
 * charm state, actions, ports, storage, network, goal state, credentials, logs.
 * @module
 */
import type { ContractCase } from './case.ts';

const BACKUP = { name: 'backup', params: { to: '/backups', count: 1 } };

/** The unit rows. */
export const unitCases: readonly ContractCase[] = [
  {
    name: 'a status a charm may not set is a usage error',
    run: (t) => t.statusSet('error' as 'active', 'broken', false),
    expect: {
      exitCode: 2,
      stderr: 'ERROR invalid status "error", expected one of [maintenance blocked waiting active]',
    },
  },
  {
    name: 'a non-leader cannot set the application status',
    run: (t) => t.statusSet('active', '', true),
    expect: {
      exitCode: 1,
      stderr: 'ERROR setting application status: this unit is not the leader',
    },
  },
  {
    name: 'a non-leader cannot read the application status',
    run: (t) => t.appStatusGet(),
    expect: {
      exitCode: 1,
      stderr: 'ERROR finding application status: this unit is not the leader',
    },
  },
  {
    name: 'status-set applies at once; the leader reads the application’s and its units’',
    leader: true,
    run: async (t) => {
      await t.statusSet('blocked', 'need a db', false);
      await t.statusSet('waiting', 'for the db', true);
      return [await t.statusGet(), await t.appStatusGet()];
    },
    expect: {
      result: [
        { status: 'blocked', message: 'need a db' },
        {
          status: 'waiting',
          message: 'for the db',
          units: {
            'app/0': { status: 'blocked', message: 'need a db' },
            'app/1': { status: 'active', message: '' },
          },
        },
      ],
    },
  },
  {
    name: 'config-get answers set values over defaults; options with neither are absent',
    given: (model) => {
      const app = model.apps.app;
      if (app) app.config = { name: 'x' };
    },
    run: (t) => t.configGet(),
    expect: { result: { port: 80, name: 'x' } },
  },
  {
    name: 'is-leader answers for the unit',
    leader: true,
    run: (t) => t.isLeader(),
    expect: { result: true },
  },
  {
    name: 'a non-leader reads leader settings and cannot write them',
    run: async (t) => {
      if ((await t.leaderGet()).shared !== 'from-leader') throw new Error('leader-get');
      return t.leaderSet({ shared: 'mine' });
    },
    expect: {
      exitCode: 1,
      stderr: 'ERROR cannot write leadership settings: cannot write settings: not the leader',
    },
  },
  {
    name: 'state-set is read back in the hook; an unset key reads as nothing',
    run: async (t) => {
      await t.stateSet({ a: '1', b: '2' });
      await t.stateDelete('b');
      return [await t.stateGet('a'), await t.stateGet('b')];
    },
    expect: { result: ['1', undefined] },
  },
  {
    name: 'state-set refuses a value over 64 KiB',
    run: (t) => t.stateSet({ big: 'x'.repeat(65537) }),
    expect: { exitCode: 1, stderr: 'ERROR max allowed value length (65536) exceeded' },
  },
  {
    name: 'action tools outside an action fail',
    run: (t) => t.actionGet(),
    expect: { exitCode: 1, stderr: 'ERROR not running an action' },
  },
  {
    name: 'in an action: the params; results with dotted keys; reserved keys refused',
    action: BACKUP,
    run: async (t) => {
      const params = await t.actionGet();
      await t.actionSet({ 'out.size': '10' });
      await t.actionLog('halfway');
      await t.actionFail('disk full');
      if (params.to !== '/backups') throw new Error('action-get');
      return t.actionSet({ stdout: 'x' });
    },
    expect: { exitCode: 2, stderr: 'ERROR cannot set reserved action key "stdout"' },
  },
  {
    name: 'opened-ports lists the ports already open, not this hook’s changes',
    run: async (t) => {
      await t.openPort({ protocol: 'tcp', port: 9090 });
      await t.closePort({ protocol: 'tcp', port: 8080 });
      return t.openedPorts();
    },
    expect: { result: [{ protocol: 'tcp', port: 8080 }] },
  },
  {
    name: 'storage-list and storage-get answer the unit’s instances',
    run: async (t) => [await t.storageList(), await t.storageGet('data/0')],
    expect: { result: [['data/0'], { kind: 'filesystem', location: '/srv/data' }] },
  },
  {
    name: 'storage-get outside a storage hook needs -s',
    run: (t) => t.storageGet(),
    expect: { exitCode: 2, stderr: 'ERROR no storage instance specified' },
  },
  {
    name: 'storage-get of an instance the unit does not have',
    run: (t) => t.storageGet('data/9'),
    expect: {
      exitCode: 2,
      stderr: 'ERROR invalid value "data/9" for option -s: storage instance "data/9" not found',
    },
  },
  {
    name: 'network-get answers for an endpoint and juju-info, not for an unknown binding',
    run: async (t) => {
      const info = await t.networkGet('db');
      if (info.ingressAddresses.length !== 1) throw new Error('network-get db');
      // Every charm has the implicit juju-info endpoint, so its binding.
      const implicit = await t.networkGet('juju-info');
      if (implicit.ingressAddresses.length !== 1) throw new Error('network-get juju-info');
      return t.networkGet('nope');
    },
    expect: { exitCode: 1, stderr: 'ERROR no network config found for binding "nope"' },
  },
  {
    name: 'goal-state lists the application’s units and each relation’s remote side',
    run: async (t) => {
      const goal = await t.goalState();
      return [Object.keys(goal.units).sort(), Object.keys(goal.relations.db ?? {}).sort()];
    },
    expect: {
      result: [
        ['app/0', 'app/1'],
        ['pg', 'pg/0', 'pg/1'],
      ],
    },
  },
  {
    name: 'an application that is not trusted cannot read its credential',
    run: (t) => t.credentialGet(),
    expect: { exitCode: 1, stderr: 'ERROR cannot access cloud credentials: permission denied' },
  },
  {
    name: 'juju-log and application-version-set succeed with no output',
    run: async (t) => {
      await t.jujuLog('WARNING', 'disk low');
      return t.applicationVersionSet('1.2.3');
    },
    expect: { result: undefined },
  },
];
