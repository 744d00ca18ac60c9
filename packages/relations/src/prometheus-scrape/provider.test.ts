import { describe, expect, it } from 'vitest';
import {
  prometheusScrapeProviderAppBag,
  prometheusScrapeProviderUnitBag,
  sanitizeScrapeJob,
} from './provider.ts';

const TOPOLOGY = { model: 'm', modelUuid: 'u', application: 'a', unit: 'a/0', charmName: 'c' };

describe('prometheus_scrape provider', () => {
  it('keeps the default job keys first and drops what Prometheus jobs cannot hold', () => {
    expect(Object.keys(sanitizeScrapeJob({ job_name: 'x', metrics_path: '/m', foo: 1 }))).toEqual([
      'metrics_path',
      'static_configs',
      'job_name',
    ]);
  });

  it('writes the default job when given none', () => {
    expect(
      prometheusScrapeProviderAppBag({ topology: TOPOLOGY, forwardAlertRules: false }),
    ).toEqual({
      scrape_metadata:
        '{"model": "m", "model_uuid": "u", "application": "a", "unit": "a/0", "charm_name": "c"}',
      scrape_jobs: '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:80"]}]}]',
      alert_rules: '{}',
    });
  });

  it('refuses an empty topology field, naming it', () => {
    expect(() =>
      prometheusScrapeProviderAppBag({ topology: { ...TOPOLOGY, modelUuid: '' } }),
    ).toThrow(
      "prometheus_scrape: provider application bag, key 'scrape_metadata.modelUuid': must not be empty",
    );
  });

  it('falls back to the fqdn for an address that is not an IP, as the library does', () => {
    expect(
      prometheusScrapeProviderUnitBag({ unit: 'a/0', address: 'a-0', fqdn: 'a-0.a-endpoints' }),
    ).toEqual({
      prometheus_scrape_unit_address: 'a-0.a-endpoints',
      prometheus_scrape_unit_name: 'a/0',
    });
    expect(() => prometheusScrapeProviderUnitBag({ unit: 'a/0', address: 'a-0' })).toThrow(
      /key 'prometheus_scrape_unit_address': is not an IP address and no fqdn was given/,
    );
  });
});
