/**
 * SubordinateRelation: a subordinate charm's relation to its principal (`scope: container`):
 * one remote unit, whose bag holds the addresses Juju puts there, and the consistency check
 * that keeps each endpoint's relations of the right kind.
 */
import { Charm, type Framework, parseCharmcraft, type RelationEvent } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { InconsistentStateError } from '../errors.ts';
import { relation, state, subordinateRelation } from '../state/builders.ts';
import { Context } from './context.ts';

const meta = parseCharmcraft(
  `name: logger
type: charm
summary: A subordinate that follows its principal's logs.
description: For the testing library's own tests.
subordinate: true
base: ubuntu@22.04
platforms: {amd64: }
requires:
  host: {interface: juju-info, scope: container}
  sink: {interface: loki_push_api}
`,
  'charmcraft.yaml',
);

/** Records who its principal is and where it lives, in its own unit bag. */
class Logger extends Charm {
  constructor(framework: Framework) {
    super(framework);
    this.on.relationJoined('host', (e) => this.#follow(e));
    this.on.relationBroken('host', async () => {
      const relations = await this.model.relations('host');
      this.logger.info(`principal gone; host relations left: ${relations.length}`);
    });
  }

  async #follow(event: RelationEvent): Promise<void> {
    const units = await event.relation.units();
    const bag = await event.relation.remoteUnitData(event.unit ?? '');
    await event.relation.setUnitData({
      principal: units.join(','),
      'principal-address': bag['private-address'] ?? '',
    });
  }
}

const ctx = new Context(Logger, { meta });

describe('SubordinateRelation', () => {
  it('has one remote unit, the principal, whose bag holds its addresses as Juju gives them', async () => {
    const host = subordinateRelation({ endpoint: 'host', remoteApp: 'web', remoteUnit: 3 });
    expect(host.remoteUnitData).toEqual({
      'egress-subnets': '192.0.2.0/24',
      'ingress-address': '192.0.2.0',
      'private-address': '192.0.2.0',
    });
    const out = await ctx.run(ctx.on.relationJoined(host), state({ relations: [host] }));
    expect(ctx.hookToolCalls.find((c) => c.tool === 'relation-list')).toBeDefined();
    expect(out.relations[0]?.localUnitData).toEqual({
      principal: 'web/3',
      'principal-address': '192.0.2.0',
    });
    expect(out.relations[0]).toMatchObject({ subordinate: true, remoteUnit: 3 });
  });

  it('on relation-broken the principal has departed: the relation is out of the model', async () => {
    const host = subordinateRelation({ endpoint: 'host', remoteApp: 'web' });
    await ctx.run(ctx.on.relationBroken(host), state({ relations: [host] }));
    expect(ctx.jujuLog.map((l) => l.message)).toContain('principal gone; host relations left: 0');
  });

  const refusals: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    [
      'relation() on a container-scoped endpoint',
      () => ctx.run(ctx.on.start(), state({ relations: [relation({ endpoint: 'host' })] })),
      'state.relations[0]',
      /'host' has scope: container .*; use subordinateRelation\(\)/,
    ],
    [
      'subordinateRelation() on a global endpoint',
      () =>
        ctx.run(ctx.on.start(), state({ relations: [subordinateRelation({ endpoint: 'sink' })] })),
      'state.relations[0]',
      /'sink' is not a subordinate's endpoint/,
    ],
    [
      'an event from a unit other than the principal',
      () => {
        const host = subordinateRelation({ endpoint: 'host', remoteApp: 'web' });
        return ctx.run(
          ctx.on.relationJoined(host, { remoteUnit: 1 }),
          state({ relations: [host] }),
        );
      },
      'event.remoteUnit',
      /web\/1 is not a unit of relation host:\d+ \(units: 0\)/,
    ],
  ];
  for (const [what, run, field, message] of refusals) {
    it(`refuses ${what}, naming ${field}`, async () => {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InconsistentStateError);
      expect((error as InconsistentStateError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
    });
  }
});
