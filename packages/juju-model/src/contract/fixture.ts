/**
 * The world every contract case starts from, as a JujuModel both targets build their own state
 * from:
 *
 * - application `app` (endpoints `db` requires pgsql, `cluster` peers; storage `data` at
 *   /srv/data; config `port` int default 80 and `name` string), units `app/0` (the unit under
 *   test) and `app/1`;
 * - application `pg` (endpoint `database` provides pgsql), units `pg/0` and `pg/1`;
 * - relation 1 `app:db pg:database` with both remote units in `app/0`'s scope, and peer
 *   relation 0 `cluster` with `app/1`;
 * - three secrets: `OWNED` (app's, label `own-label`, granted to pg over relation 1),
 *   `GRANTED` (pg's, revisions 1 and 2, granted to app; app/0 tracks revision 1 under the label
 *   `their-label`) and `NOT_GRANTED` (pg's, no grant).
 * @module
 */
import type { JujuModel } from '../model.ts';

/** The unit every case runs as. */
export const UNIT = 'app/0';

/** Secret ids of the fixture. */
export const SECRETS = {
  OWNED: 'secret:cs0contract0000000a1',
  GRANTED: 'secret:cs0contract0000000b2',
  NOT_GRANTED: 'secret:cs0contract0000000c3',
} as const;

/** The fixture model's uuid. */
export const MODEL_UUID = '0b6a9f3e-0000-4000-8000-c0ffee000001';

const status = (value: string, message = '') => ({
  status: value,
  message,
  since: '2026-01-01T00:00:00.000Z',
});

/** A fresh copy of the fixture. */
export function contractModel(): JujuModel {
  return {
    uuid: MODEL_UUID,
    name: 'contract',
    apps: {
      app: {
        name: 'app',
        charm: {
          endpoints: {
            requires: { db: { interface: 'pgsql' } },
            provides: {},
            peers: { cluster: { interface: 'app-peers' } },
          },
          config: { port: { type: 'int', default: 80 }, name: { type: 'string' } },
          storage: { data: { type: 'filesystem', location: '/srv/data' } },
        },
        config: {},
        units: ['app/0', 'app/1'],
        status: status('active'),
        version: '',
        leaderSettings: { shared: 'from-leader' },
      },
      pg: {
        name: 'pg',
        charm: {
          endpoints: { requires: {}, provides: { database: { interface: 'pgsql' } }, peers: {} },
          config: {},
          storage: {},
        },
        config: {},
        units: ['pg/0', 'pg/1'],
        leader: 'pg/0',
        version: '',
        leaderSettings: {},
      },
    },
    units: {
      'app/0': {
        name: 'app/0',
        app: 'app',
        workloadStatus: status('maintenance', 'starting'),
        state: {},
        ports: ['8080/tcp'],
        address: '10.1.1.2',
      },
      'app/1': {
        name: 'app/1',
        app: 'app',
        workloadStatus: status('active'),
        state: {},
        ports: [],
        address: '10.1.1.3',
      },
    },
    relations: {
      '0': {
        id: 0,
        interface: 'app-peers',
        endpoints: [{ app: 'app', endpoint: 'cluster' }],
        appData: { app: { shared: 'yes' } },
        unitData: { 'app/0': {}, 'app/1': { peer: 'a1' } },
        members: { 'app/0': ['app/1'], 'app/1': ['app/0'] },
        created: ['app/0', 'app/1'],
      },
      '1': {
        id: 1,
        interface: 'pgsql',
        endpoints: [
          { app: 'app', endpoint: 'db' },
          { app: 'pg', endpoint: 'database' },
        ],
        appData: { app: { url: 'app-url' }, pg: { host: 'pg-host' } },
        unitData: {
          'app/0': { mine: 'a0' },
          'app/1': {},
          'pg/0': { ip: '10.0.0.1' },
          'pg/1': { ip: '10.0.0.2' },
        },
        members: { 'app/0': ['pg/0', 'pg/1'], 'app/1': ['pg/0', 'pg/1'] },
        created: ['app/0', 'app/1'],
      },
    },
    secrets: {
      [SECRETS.OWNED]: {
        id: SECRETS.OWNED,
        ownerKind: 'application',
        owner: 'app',
        label: 'own-label',
        revisions: [{ revision: 1, content: { password: 'one' } }],
        grants: [{ relationId: 1, subject: 'pg' }],
        consumers: {},
      },
      [SECRETS.GRANTED]: {
        id: SECRETS.GRANTED,
        ownerKind: 'application',
        owner: 'pg',
        revisions: [
          { revision: 1, content: { token: 'old' } },
          { revision: 2, content: { token: 'new' } },
        ],
        grants: [{ relationId: 1, subject: 'app' }],
        consumers: { 'app/0': { revision: 1, label: 'their-label' } },
      },
      [SECRETS.NOT_GRANTED]: {
        id: SECRETS.NOT_GRANTED,
        ownerKind: 'application',
        owner: 'pg',
        revisions: [{ revision: 1, content: { key: 'k' } }],
        grants: [],
        consumers: {},
      },
    },
  };
}
