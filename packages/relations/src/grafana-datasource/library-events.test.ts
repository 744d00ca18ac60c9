// The grafana libraries used through their events by a charm (test/grafana-fixture), on the
// real dispatcher of @charm-ts/ops with @charm-ts/testing's in-memory hook tools.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context, peerRelation, relation, state } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { GrafanaFixtureCharm } from '../../test/grafana-fixture/charm.ts';
import { grafanaDashboardProviderAppBag } from '../grafana-dashboard/provider.ts';

const ctx = new Context(GrafanaFixtureCharm, {
  charmDir: join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'grafana-fixture'),
});
const NS = 'grafana-source-requirer[grafana-source]';
const SOURCE_DATA = JSON.stringify({
  model: 'cos',
  model_uuid: 'u1',
  application: 'prometheus',
  type: 'prometheus',
  extra_fields: null,
  secure_extra_fields: null,
});
const peers = peerRelation({ endpoint: 'grafana' });

function prometheus(units: number[], id = 3) {
  return relation({
    endpoint: 'grafana-source',
    remoteApp: 'prometheus',
    id,
    remoteAppData: { grafana_source_data: SOURCE_DATA },
    remoteUnitsData: Object.fromEntries(
      units.map((n) => [n, { grafana_source_host: `http://prometheus-${n}:9090` }]),
    ),
  });
}

describe('GrafanaSourceRequirer', () => {
  it('emits sourcesChanged once per change and answers as the leader', async () => {
    const rel = prometheus([0, 1]);
    const out = await ctx.run(
      ctx.on.relationChanged(rel),
      state({ leader: true, relations: [rel, peers] }),
    );
    expect(out.storedState.events).toEqual([
      'sources juju_cos_u1_prometheus_0,juju_cos_u1_prometheus_1 removed ',
    ]);
    expect(out.relations.find((r) => r.id === 3)?.localAppData).toEqual({
      grafana_uid: 'juju_m_u_grafana',
      datasource_uids:
        '{"prometheus/0": "juju_cos_u1_prometheus_0", "prometheus/1": "juju_cos_u1_prometheus_1"}',
      grafana_base_url: 'http://grafana:3000',
    });
    const again = await ctx.run(ctx.on.relationChanged(rel), out);
    expect(again.storedState.events).toHaveLength(1);
    expect(ctx.hookToolCalls.filter((c) => c.tool === 'relation-set')).toEqual([]);
  });

  it('a departing unit and a broken relation are deleted by name, on a follower too', async () => {
    const rel = prometheus([0, 1]);
    const first = await ctx.run(
      ctx.on.relationChanged(rel),
      state({ leader: false, relations: [rel, peers] }),
    );
    const departed = await ctx.run(
      ctx.on.relationDeparted(rel, { remoteUnit: 1, departingUnit: 'prometheus/1' }),
      first,
    );
    expect(departed.storedState[NS]).toMatchObject({
      names: ['juju_cos_u1_prometheus_0'],
      toDelete: ['juju_cos_u1_prometheus_1'],
    });
    const broken = await ctx.run(ctx.on.relationBroken(prometheus([0])), departed);
    expect(broken.storedState[NS]).toMatchObject({
      names: [],
      toDelete: ['juju_cos_u1_prometheus_1', 'juju_cos_u1_prometheus_0'],
    });
    expect(broken.storedState.events).toEqual([
      'sources juju_cos_u1_prometheus_0,juju_cos_u1_prometheus_1 removed ',
      'sources juju_cos_u1_prometheus_0 removed juju_cos_u1_prometheus_1',
      'sources  removed juju_cos_u1_prometheus_0',
    ]);
    // A source that comes back is no longer deleted.
    const back = prometheus([0, 1], 4);
    const returned = await ctx.run(ctx.on.relationChanged(back), {
      ...broken,
      relations: [back, peers],
    });
    expect(returned.storedState[NS]).toMatchObject({ toDelete: [] });
  });

  it('a relation whose data cannot be read emits nothing and stops nothing', async () => {
    const bad = relation({
      endpoint: 'grafana-source',
      remoteApp: 'bad',
      id: 9,
      remoteAppData: { grafana_source_data: '{oops' },
      remoteUnitsData: { 0: { grafana_source_host: 'h:1' } },
    });
    const good = prometheus([0]);
    const out = await ctx.run(
      ctx.on.relationChanged(bad),
      state({ leader: true, relations: [bad, good, peers] }),
    );
    expect(out.storedState.events).toEqual(['sources juju_cos_u1_prometheus_0 removed ']);
    expect(out.relations.find((r) => r.id === 9)?.localAppData).toEqual({});
  });
});

describe('GrafanaSourceProvider', () => {
  it('publishes its bags and emits answered when a Grafana answers', async () => {
    const grafana = relation({
      endpoint: 'metrics-source',
      remoteApp: 'grafana',
      id: 5,
      remoteAppData: {
        grafana_uid: 'g1',
        datasource_uids: '{"grafana-fixture/0": "juju_m_u_grafana-fixture_0"}',
      },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(grafana),
      state({ leader: true, relations: [grafana] }),
    );
    const rel = out.relations.find((r) => r.id === 5);
    expect(rel?.localUnitData).toMatchObject({
      grafana_source_host: 'http://grafana-fixture-0.grafana-fixture-endpoints:9090',
    });
    expect(JSON.parse(rel?.localAppData.grafana_source_data ?? '{}')).toMatchObject({
      application: 'grafana-fixture',
      type: 'prometheus',
    });
    expect(out.storedState.events).toEqual([
      'answered g1 {"grafana-fixture/0":"juju_m_u_grafana-fixture_0"}',
    ]);
    const again = await ctx.run(ctx.on.relationChanged(grafana), out);
    expect(again.storedState.events).toHaveLength(1);
  });
});

describe('GrafanaDashboardRequirer', () => {
  const topology = { model: 'cos', model_uuid: 'u1', application: 'db', unit: 'db/0' };
  const bag = (content: string) =>
    grafanaDashboardProviderAppBag(
      [
        {
          id: 'file:good',
          charm: 'db',
          content: JSON.stringify({ uid: 'g', title: 'Good' }),
          jujuTopology: topology,
        },
        { id: 'file:bad', charm: 'db', content, jujuTopology: topology },
      ],
      'fixed',
    );

  it('reports an unreadable template in event, keeps the others, and clears the report', async () => {
    const broken = relation({
      endpoint: 'grafana-dashboard',
      remoteApp: 'db',
      id: 6,
      remoteAppData: bag('{not json'),
    });
    const out = await ctx.run(
      ctx.on.relationChanged(broken),
      state({ leader: true, relations: [broken, peers] }),
    );
    expect(out.storedState.events).toEqual(['dashboards g errors 1']);
    const event = JSON.parse(out.relations.find((r) => r.id === 6)?.localAppData.event ?? '{}');
    expect(event.errors).toEqual([
      { dashboard_id: 'file:bad', error: expect.stringMatching(/^not JSON: /) },
    ]);
    const fixed = relation({
      endpoint: 'grafana-dashboard',
      remoteApp: 'db',
      id: 6,
      remoteAppData: bag(JSON.stringify({ uid: 'b', title: 'Bad no more' })),
      localAppData: out.relations.find((r) => r.id === 6)?.localAppData ?? {},
    });
    const healed = await ctx.run(ctx.on.relationChanged(fixed), {
      ...out,
      relations: [fixed, peers],
    });
    expect(healed.relations.find((r) => r.id === 6)?.localAppData).toEqual({
      event: '{"errors": []}',
    });
    expect(healed.storedState.events).toEqual(['dashboards g errors 1', 'dashboards g,b errors 0']);
  });
});
