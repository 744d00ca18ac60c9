/**
 * The relation rows of the contract: who reads and writes which bag, which relations and units
 * a unit sees (departing units, broken relations), with Juju's texts.
 * @module
 */
import { BROKEN, CLUSTER, type ContractCase, DB, DEPARTED, relationRemoved } from './case.ts';
import { MODEL_UUID } from './fixture.ts';

const KEY = 'app:db pg:database';

/** The relation rows. */
export const relationCases: readonly ContractCase[] = [
  {
    name: 'a non-leader writing its application bag is refused',
    run: (t) => t.relationSet(DB, { k: 'v' }, true),
    expect: { exitCode: 1, stderr: 'ERROR cannot write relation settings' },
  },
  {
    name: 'a non-leader reading its application bag is refused',
    run: (t) => t.relationGet(DB, 'app', true),
    expect: { exitCode: 1, stderr: 'ERROR permission denied' },
  },
  {
    name: 'the leader writes its application bag and reads its own writes',
    leader: true,
    run: async (t) => {
      await t.relationSet(DB, { k: 'v', url: '' }, true);
      return t.relationGet(DB, 'app', true);
    },
    expect: { result: { k: 'v' } },
  },
  {
    name: 'any unit reads the application bag of a peer relation',
    run: (t) => t.relationGet(CLUSTER, 'app', true),
    expect: { result: { shared: 'yes' } },
  },
  {
    name: 'a unit reads the remote application bag and a remote unit bag',
    run: async (t) => [await t.relationGet(DB, 'pg', true), await t.relationGet(DB, 'pg/0', false)],
    expect: { result: [{ host: 'pg-host' }, { ip: '10.0.0.1' }] },
  },
  {
    name: 'a unit writes its own bag, an empty value deletes, and it reads its writes',
    run: async (t) => {
      await t.relationSet(DB, { extra: 'x', mine: '' }, false);
      return t.relationGet(DB, 'app/0', false);
    },
    expect: { result: { extra: 'x' } },
  },
  {
    name: 'reading a unit that never joined the relation names the relation by its key',
    run: (t) => t.relationGet(DB, 'pg/7', false),
    expect: {
      exitCode: 1,
      stderr: `ERROR cannot read settings for unit "pg/7" in relation "${KEY}": unit "pg/7": settings not found`,
    },
  },
  {
    name: 'reading a unit of an application not in the relation is refused',
    run: (t) => t.relationGet(DB, 'other/0', false),
    expect: { exitCode: 1, stderr: 'ERROR permission denied' },
  },
  {
    name: 'reading the bag of an application not in the relation is refused',
    run: (t) => t.relationGet(DB, 'other', true),
    expect: { exitCode: 1, stderr: 'ERROR permission denied' },
  },
  {
    name: 'a relation id the unit does not know is a usage error',
    run: (t) => t.relationGet({ endpoint: 'db', id: 99 }, 'pg/0', false),
    expect: {
      exitCode: 2,
      stderr: 'ERROR invalid value "db:99" for option -r: relation not found',
    },
  },
  {
    name: '-r is read by its number: the endpoint before the colon is not checked',
    run: (t) => t.relationGet({ endpoint: 'cluster', id: 1 }, 'pg/0', false),
    expect: { result: { ip: '10.0.0.1' } },
  },
  {
    name: 'relation-ids lists an endpoint’s relations; relation-list its remote units',
    run: async (t) => [
      await t.relationIds('db'),
      await t.relationIds('cluster'),
      await t.relationList(DB),
      await t.relationListApp(DB),
      await t.relationList(CLUSTER),
    ],
    expect: { result: [[1], [0], ['pg/0', 'pg/1'], 'pg', ['app/1']] },
  },
  {
    name: 'relation-model-get answers the model at the other end',
    run: (t) => t.relationModelGet(DB),
    expect: { result: { uuid: MODEL_UUID } },
  },
  {
    name: 'during relation-departed the departing unit is out of relation-list, its bag readable',
    hook: DEPARTED,
    run: async (t) => [
      await t.relationIds('db'),
      await t.relationList(DB),
      await t.relationGet(DB, 'pg/1', false),
    ],
    expect: { result: [[1], ['pg/0'], { ip: '10.0.0.2' }] },
  },
  {
    name: 'during relation-broken the broken relation is out of relation-ids (Juju ≥ 3.4.4)',
    hook: BROKEN,
    given: relationRemoved,
    run: async (t) => [await t.relationIds('db'), await t.relationIds('cluster')],
    expect: { result: [[], [0]] },
  },
  {
    name: 'during relation-broken the relation still answers by id: no units, the bags as they were',
    hook: BROKEN,
    given: relationRemoved,
    run: async (t) => [
      await t.relationList(DB),
      await t.relationGet(DB, 'pg', true),
      await t.relationGet(DB, 'pg/0', false),
    ],
    expect: { result: [[], { host: 'pg-host' }, { ip: '10.0.0.1' }] },
  },
  {
    name: 'a relation being removed is listed while a remote unit is still in scope',
    hook: DEPARTED,
    given: (model) => {
      const rel = model.relations['1'];
      if (rel) rel.dying = true;
    },
    run: (t) => t.relationIds('db'),
    expect: { result: [1] },
  },
];
