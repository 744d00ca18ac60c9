/**
 * The secret rows of the contract: owners, leadership for application secrets, grants, revision
 * tracking, labels, with Juju's texts.
 * @module
 */
import { type ContractCase, DB } from './case.ts';
import { SECRETS } from './fixture.ts';

const bare = (id: string) => id.slice('secret:'.length);

/** The secret rows. */
export const secretCases: readonly ContractCase[] = [
  {
    name: 'reading a secret that was not granted is refused',
    run: (t) => t.secretGet({ id: SECRETS.NOT_GRANTED }),
    expect: { exitCode: 1, stderr: 'ERROR permission denied' },
  },
  {
    name: 'reading an unknown secret names its bare id',
    run: (t) => t.secretGet({ id: 'secret:cs0nothere000000000' }),
    expect: { exitCode: 1, stderr: 'ERROR secret "cs0nothere000000000" not found' },
  },
  {
    name: 'reading by a label nobody gave names the label',
    run: (t) => t.secretGet({ label: 'nope' }),
    expect: { exitCode: 1, stderr: 'ERROR secret with label "nope" not found' },
  },
  {
    name: 'a consumer reads the revision it tracks; peek reads the latest once; refresh moves on',
    run: async (t) => [
      await t.secretGet({ id: SECRETS.GRANTED }),
      await t.secretGet({ id: SECRETS.GRANTED, peek: true }),
      await t.secretGet({ label: 'their-label' }),
      await t.secretGet({ id: SECRETS.GRANTED, refresh: true }),
      await t.secretGet({ id: SECRETS.GRANTED }),
    ],
    expect: {
      result: [
        { token: 'old' },
        { token: 'new' },
        { token: 'old' },
        { token: 'new' },
        { token: 'new' },
      ],
    },
  },
  {
    name: 'an owner reads its secret by its label, and sees its metadata',
    run: async (t) => [
      await t.secretGet({ label: 'own-label' }),
      await t.secretInfoGet({ label: 'own-label' }),
      await t.secretIds(),
    ],
    expect: {
      result: [
        { password: 'one' },
        { id: SECRETS.OWNED, revision: 1, label: 'own-label' },
        [SECRETS.OWNED],
      ],
    },
  },
  {
    name: 'the metadata of a secret the unit does not own is not found',
    run: (t) => t.secretInfoGet({ id: SECRETS.GRANTED }),
    expect: { exitCode: 1, stderr: `ERROR secret "${bare(SECRETS.GRANTED)}" not found` },
  },
  {
    name: 'a non-leader cannot add an application secret',
    run: (t) => t.secretAdd({ password: 'x' }),
    expect: { exitCode: 1, stderr: 'ERROR this unit is not the leader' },
  },
  {
    name: 'a non-leader adds a unit secret; new content is a new revision',
    run: async (t) => {
      const id = await t.secretAdd({ password: 'x' }, { owner: 'unit', label: 'mine' });
      await t.secretSet(id, { content: { password: 'y' } });
      const { revision, label } = await t.secretInfoGet({ id });
      return [revision, label, await t.secretGet({ id })];
    },
    expect: { result: [2, 'mine', { password: 'y' }] },
  },
  {
    name: 'a non-leader cannot change an application secret',
    run: (t) => t.secretSet(SECRETS.OWNED, { content: { password: 'two' } }),
    expect: { exitCode: 1, stderr: 'ERROR this unit is not the leader' },
  },
  {
    name: 'changing another application’s secret is refused',
    leader: true,
    run: (t) => t.secretSet(SECRETS.GRANTED, { content: { token: 'mine' } }),
    expect: { exitCode: 1, stderr: 'ERROR permission denied' },
  },
  {
    name: 'granting a secret the unit does not own: not found',
    leader: true,
    run: (t) => t.secretGrant(SECRETS.GRANTED, DB),
    expect: { exitCode: 1, stderr: `ERROR secret "${bare(SECRETS.GRANTED)}" not found` },
  },
  {
    name: 'the leader grants, revokes and removes revisions of an application secret',
    leader: true,
    run: async (t) => {
      await t.secretGrant(SECRETS.OWNED, DB, 'pg/1');
      await t.secretRevoke(SECRETS.OWNED, { relation: DB });
      await t.secretSet(SECRETS.OWNED, { content: { password: 'two' } });
      await t.secretRemove(SECRETS.OWNED, 1);
      return [
        (await t.secretInfoGet({ id: SECRETS.OWNED })).revision,
        await t.secretGet({ id: SECRETS.OWNED }),
      ];
    },
    expect: { result: [2, { password: 'two' }] },
  },
];
