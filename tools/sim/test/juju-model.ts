/**
 * A model for the juju front's unit tests, as charm-sim's state holds it after deploying two
 * applications and relating them: `web` (two units, a peer relation, a secret) and `db`.
 * @module
 */
import type { CharmInfo } from '../src/charm.ts';
import type { AppState, ModelState, UnitState } from '../src/model.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:00:05.250Z';

function charm(name: string, endpoints: Partial<CharmInfo['endpoints']>): CharmInfo {
  return {
    name,
    endpoints: { provides: {}, requires: {}, peers: {}, ...endpoints },
    containers: { workload: { mounts: [] } },
    storage: {},
    resources: { 'workload-image': { type: 'oci-image' } },
    config: {
      port: { type: 'int', default: 8080, description: 'Port.' },
      ratio: { type: 'float', description: 'No default.' },
    },
    actions: {},
  };
}

function app(
  name: string,
  info: CharmInfo,
  units: string[],
  over: Partial<AppState> = {},
): AppState {
  return {
    name,
    charmFile: `/charms/${name}.charm`,
    charmRevision: 1,
    charm: info,
    config: {},
    resources: { 'workload-image': 'img' },
    units,
    nextUnit: units.length,
    leader: units[0],
    version: '',
    leaderSettings: {},
    ...over,
  };
}

function unit(name: string, index: number, over: Partial<UnitState> = {}): UnitState {
  return {
    name,
    app: name.split('/')[0] as string,
    workloadStatus: { status: 'active', message: 'serving', since: T1 },
    agentStatus: { status: 'idle', message: '', since: T1 },
    queue: [],
    state: {},
    ports: [],
    address: `10.213.7.${index + 2}`,
    netns: `csim-${index}`,
    podIndex: index,
    containers: {},
    installed: true,
    started: true,
    ...over,
  };
}

/** A fresh copy of the sample model. */
export function sampleModel(): ModelState {
  const web = charm('webapp', {
    peers: { peers: { interface: 'web-peers' } },
    requires: { database: { interface: 'pg' } },
  });
  const db = charm('pg', { provides: { db: { interface: 'pg' } } });
  return {
    version: 2,
    uuid: 'uuid-1',
    name: 'demo',
    subnet: '10.213.7',
    bridge: 'csimabc',
    nextRelationId: 2,
    nextActionId: 3,
    updateStatusIntervalSeconds: 300,
    apps: {
      web: app('web', web, ['web/0', 'web/1'], { version: '2.1', config: { port: 9000 } }),
      db: app('db', db, ['db/0'], { charmRevision: 2 }),
    },
    units: {
      'web/0': unit('web/0', 0, { ports: ['9000/tcp'] }),
      'web/1': unit('web/1', 1, {
        workloadStatus: { status: 'error', message: 'hook failed: "install"', since: T1 },
        agentStatus: { status: 'error', message: 'hook failed: "install"', since: T1 },
      }),
      'db/0': unit('db/0', 2),
    },
    relations: {
      '0': {
        id: 0,
        interface: 'web-peers',
        endpoints: [{ app: 'web', endpoint: 'peers' }],
        appData: { web: { shared: 'yes' } },
        unitData: { 'web/0': { me: '0' }, 'web/1': { me: '1' } },
        members: { 'web/0': ['web/1'], 'web/1': ['web/0'] },
        created: ['web/0', 'web/1'],
      },
      '1': {
        id: 1,
        interface: 'pg',
        endpoints: [
          { app: 'web', endpoint: 'database' },
          { app: 'db', endpoint: 'db' },
        ],
        appData: { web: { database: 'app' }, db: { endpoints: '10.213.7.4:5432' } },
        unitData: { 'web/0': {}, 'db/0': { host: 'db-0' } },
        members: { 'web/0': ['db/0'], 'db/0': ['web/0', 'web/1'] },
        created: ['web/0', 'web/1', 'db/0'],
      },
    },
    secrets: {
      'secret:d0vdtqnmp25c762e7jug': {
        id: 'secret:d0vdtqnmp25c762e7jug',
        ownerKind: 'application',
        owner: 'db',
        label: 'db-password',
        revisions: [
          { revision: 1, content: { password: 'one' }, created: T0 },
          { revision: 2, content: { password: 'two' }, created: T1 },
        ],
        grants: [{ relationId: 1, subject: 'web' }],
        consumers: {},
        created: T0,
        updated: T1,
      },
    },
    actions: [
      {
        id: 1,
        unit: 'web/0',
        name: 'backup',
        status: 'completed',
        results: { path: '/b.tar', nested: { z: 1, a: 2 } },
        log: ['starting'],
        logTimes: [T0],
        returnCode: 0,
        stdout: 'out\n',
        stderr: '',
        enqueued: T0,
        started: T0,
        completed: T1,
      },
      {
        id: 2,
        unit: 'web/0',
        name: 'juju-exec',
        status: 'completed',
        results: {},
        log: [],
        returnCode: 3,
        stdout: '',
        stderr: 'oops\n',
      },
    ],
  };
}
