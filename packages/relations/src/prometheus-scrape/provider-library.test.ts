// PrometheusScrapeProvider, used by a charm that only constructs it and observes its events,
// run through the real dispatcher with the in-memory hook tools. The bags are the wire
// functions', proven against MetricsEndpointProvider in library.test.ts; end to end,
// charms/gunicorn/e2e (prometheus_scrape's MetricsEndpointConsumer builds the job).
import { Context, container, relation, state } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { CHARM_DIR, ConfiguredMetricsCharm, MetricsCharm } from '../../test/charm/charms.ts';
import { prometheusScrapeProviderAppBag } from './provider.ts';

const ctx = new Context(MetricsCharm, { charmDir: CHARM_DIR });
const metrics = (remoteAppData: Record<string, string> = {}) =>
  relation({ endpoint: 'metrics-endpoint', remoteApp: 'prometheus', remoteAppData, id: 5 });
const APP_BAG = prometheusScrapeProviderAppBag({
  topology: {
    model: 'test-model',
    modelUuid: '00000000-0000-4000-8000-000000000000',
    application: 'relations-demo',
    unit: 'relations-demo/0',
    charmName: 'relations-demo',
  },
  jobs: [{ static_configs: [{ targets: ['*:9102'] }] }],
});
const UNIT_BAG = {
  prometheus_scrape_unit_address: '192.0.2.0',
  prometheus_scrape_unit_name: 'relations-demo/0',
};
const relationSets = () => ctx.hookToolCalls.filter((c) => c.tool === 'relation-set');

describe('PrometheusScrapeProvider', () => {
  it('publishes the jobs, topology and rules on relation-joined (leader), the address on every unit', async () => {
    const out = await ctx.run(
      ctx.on.relationJoined(metrics()),
      state({ leader: true, relations: [metrics()] }),
    );
    expect(out.relations[0]?.localAppData).toEqual(APP_BAG);
    expect(out.relations[0]?.localUnitData).toEqual(UNIT_BAG);
    const follower = await ctx.run(
      ctx.on.relationJoined(metrics()),
      state({ leader: false, relations: [metrics()] }),
    );
    expect(follower.relations[0]?.localAppData).toEqual({});
    expect(follower.relations[0]?.localUnitData).toEqual(UNIT_BAG);
  });

  it("republishes on the container's pebble-ready (the library's refresh event), writing only what changed", async () => {
    const web = container({ name: 'web' });
    const first = await ctx.run(
      ctx.on.relationJoined(metrics()),
      state({ leader: true, relations: [metrics()], containers: [web] }),
    );
    await ctx.run(ctx.on.pebbleReady(web), first);
    expect(relationSets()).toEqual([]);
    const address = { hostname: '', value: '10.9.9.9', cidr: '10.9.9.0/24' };
    const out = await ctx.run(ctx.on.pebbleReady(web), {
      ...first,
      networks: {
        'metrics-endpoint': {
          ingressAddresses: ['10.9.9.9'],
          egressSubnets: ['10.9.9.0/24'],
          bindAddresses: [{ macAddress: '', interfaceName: 'eth0', addresses: [address] }],
        },
      },
    });
    expect(out.relations[0]?.localUnitData).toMatchObject({
      prometheus_scrape_unit_address: '10.9.9.9',
    });
    expect(relationSets()).toHaveLength(1);
  });

  it("passes on Prometheus' verdict on the rules and the jobs", async () => {
    const verdict = metrics({
      event: JSON.stringify({ valid: false, errors: 'bad rule', scrape_job_errors: 'bad job' }),
    });
    await ctx.run(ctx.on.relationChanged(verdict), state({ leader: true, relations: [verdict] }));
    expect(ctx.jujuLog).toEqual([
      { level: 'INFO', message: 'alert rules valid: false (bad rule)' },
      { level: 'WARNING', message: 'invalid scrape job: bad job' },
    ]);
  });
});

describe('PrometheusScrapeProvider with jobs from config (a ScrapeJobsSource)', () => {
  const configured = new Context(ConfiguredMetricsCharm, { charmDir: CHARM_DIR });
  const sets = () => configured.hookToolCalls.filter((c) => c.tool === 'relation-set');

  it('computes the jobs on its own hooks, before the charm runs: never the default *:80 job', async () => {
    const out = await configured.run(
      configured.on.relationJoined(metrics()),
      state({ leader: true, relations: [metrics()] }),
    );
    expect(out.relations[0]?.localAppData).toEqual(APP_BAG);
    expect(out.relations[0]?.localUnitData).toEqual(UNIT_BAG);
    expect(sets()).toHaveLength(2);
  });

  it('republishes a changed port when the charm asks (config-changed), the unit bag left alone', async () => {
    const first = await configured.run(
      configured.on.relationJoined(metrics()),
      state({ leader: true, relations: [metrics()] }),
    );
    const out = await configured.run(configured.on.configChanged(), {
      ...first,
      config: { 'exporter-port': 9103 },
    });
    expect(out.relations[0]?.localAppData.scrape_jobs).toBe(
      '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:9103"]}]}]',
    );
    expect(sets().map((c) => Object.keys(c.args[1] as object))).toEqual([['scrape_jobs']]);
  });

  it('publishes nothing, not even the address, while the source gives no jobs', async () => {
    const out = await configured.run(
      configured.on.relationJoined(metrics()),
      state({ leader: true, relations: [metrics()], config: { 'exporter-port': 0 } }),
    );
    expect(out.relations[0]?.localAppData).toEqual({});
    expect(out.relations[0]?.localUnitData).toEqual({});
    expect(sets()).toEqual([]);
  });
});
