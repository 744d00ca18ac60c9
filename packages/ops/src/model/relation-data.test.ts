import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { fakeJuju, hookEnv } from '../../test/fake-juju.ts';
import { Charm } from '../charm.ts';
import type { CharmRuntimeMeta } from '../charmcraft/types.ts';
import { dispatch } from '../dispatch.ts';
import { RelationDataError } from '../errors.ts';
import type { Framework } from '../framework.ts';

const meta: CharmRuntimeMeta = {
  name: 'demo',
  config: {},
  actions: {},
  endpoints: { requires: { ingress: { interface: 'ingress' } }, provides: {}, peers: {} },
  containers: {},
  storage: {},
};
const env = hookEnv('ingress-relation-changed', {
  JUJU_RELATION: 'ingress',
  JUJU_RELATION_ID: 'ingress:4',
  JUJU_REMOTE_APP: 'traefik',
  JUJU_REMOTE_UNIT: 'traefik/0',
});
const Provider = v.object({ ingress: v.object({ url: v.pipe(v.string(), v.url()) }) });
const Requirer = v.object({
  name: v.string(),
  port: v.number(),
  'strip-prefix': v.optional(v.boolean()),
});

async function inRelation(
  body: (charm: Charm) => Promise<void>,
  answers: Record<string, string> = {},
) {
  let caught: unknown;
  class C extends Charm {
    constructor(fw: Framework) {
      super(fw);
      this.on.relationChanged('ingress', async () => {
        try {
          await body(this);
        } catch (e) {
          caught = e;
        }
      });
    }
  }
  const j = fakeJuju({ 'is-leader': 'true', 'relation-list': '"traefik"', ...answers });
  const result = await dispatch({ charm: C, env, tools: j.tools, meta });
  return { result, caught, j };
}

describe('Relation.load / save', () => {
  it('load decodes JSON values and types them through the schema', async () => {
    const { caught } = await inRelation(
      async (charm) => {
        const relation = charm.model.getRelation('ingress', 4);
        const data = await relation.load(Provider);
        expect(data.ingress.url).toBe('http://x.example/a');
      },
      { 'relation-get': JSON.stringify({ ingress: '{"url":"http://x.example/a"}' }) },
    );
    expect(caught).toBeUndefined();
  });

  it('a schema refusal names the relation, the bag and the key', async () => {
    const { caught } = await inRelation(
      async (charm) => {
        await charm.model.getRelation('ingress', 4).load(Provider);
      },
      { 'relation-get': JSON.stringify({ ingress: '{"url":"nope"}' }) },
    );
    expect(caught).toBeInstanceOf(RelationDataError);
    expect(caught).toMatchObject({
      bag: 'relation ingress:4 remote-app bag (traefik)',
      key: 'ingress',
    });
    expect(String((caught as Error).message)).toMatch(
      /^relation ingress:4 remote-app bag \(traefik\): key 'ingress\.url': Invalid URL$/,
    );
    expect(String((caught as Error).message)).not.toContain('nope');
  });

  it('a value that is not JSON names the key and not the value (it may be a secret)', async () => {
    const { caught } = await inRelation(
      async (charm) => {
        await charm.model.getRelation('ingress', 4).load(Provider, { unit: 'traefik/0' });
      },
      { 'relation-get': JSON.stringify({ ingress: 'hunter2{' }) },
    );
    expect((caught as RelationDataError).message).toMatch(
      "relation ingress:4 bag of traefik/0: key 'ingress' cannot be decoded: it is not JSON",
    );
    expect((caught as RelationDataError).message).not.toContain('hunter2');
  });

  it('decode: raw strings for bags that are not JSON-encoded', async () => {
    const { caught } = await inRelation(
      async (charm) => {
        const raw = await charm.model
          .getRelation('ingress', 4)
          .load(v.object({ username: v.string() }), 'remote-app', { decode: (s) => s });
        expect(raw).toEqual({ username: 'admin' });
      },
      { 'relation-get': JSON.stringify({ username: 'admin' }) },
    );
    expect(caught).toBeUndefined();
  });

  it('save encodes each key as JSON, undefined deletes it; a refused value writes nothing', async () => {
    const { caught, j } = await inRelation(async (charm) => {
      const relation = charm.model.getRelation('ingress', 4);
      await relation.save({ name: 'demo', port: 8080, 'strip-prefix': undefined }, 'local-app', {
        schema: Requirer,
      });
      await relation.save({ name: 'demo', port: '80' }, 'local-app', { schema: Requirer });
    });
    expect((caught as RelationDataError).message).toMatch(
      /^relation ingress:4 local-app bag: key 'port': Invalid type/,
    );
    const sets = j.calls
      .map((c, i) => [c, j.stdins[i]])
      .filter(([c]) => (c as string[])[0] === 'relation-set');
    expect(sets).toEqual([
      [
        ['relation-set', '-r', 'ingress:4', '--app', '--file', '-'],
        JSON.stringify({ name: '"demo"', port: '8080', 'strip-prefix': '' }),
      ],
    ]);
  });
});
