import { describe, expect, it } from 'vitest';
import { grafanaSourceProviderAppBag, grafanaSourceProviderUnitBag } from './provider.ts';
import {
  grafanaSourceAnswerBag,
  readGrafanaSourceAppBag,
  readGrafanaSources,
  readLegacySourceUnitBag,
} from './requirer.ts';

const legacy = (id: number, app: string, units: Record<string, Record<string, string>>) => ({
  id,
  app,
  appBag: {},
  units,
});
const PROM = { 'private-address': '10.0.0.5', port: '9090', 'source-type': 'prometheus' };

describe("the original's format", () => {
  it('one source per relation, from its lowest-numbered complete unit', () => {
    const read = readGrafanaSources([
      legacy(7, 'prometheus', {
        'prometheus/2': { ...PROM, 'private-address': '10.0.0.7', 'source-name': 'prom' },
        'prometheus/10': { ...PROM, 'source-name': 'other' },
        'prometheus/1': { port: '9090' },
      }),
    ]);
    expect(read.sources).toEqual([
      {
        relationId: 7,
        unit: 'prometheus/2',
        name: 'prom',
        type: 'prometheus',
        url: 'http://10.0.0.7:9090',
        format: 'legacy',
      },
    ]);
  });

  it('a missing or taken name becomes <app>_<relation id>, the same on every event', () => {
    const relations = [
      legacy(3, 'prom-a', { 'prom-a/0': { ...PROM, 'source-name': 'metrics' } }),
      legacy(4, 'prom-b', { 'prom-b/0': { ...PROM, 'source-name': 'metrics' } }),
      legacy(5, 'prom-c', { 'prom-c/0': PROM }),
    ];
    const names = () => readGrafanaSources(relations).sources.map((s) => s.name);
    expect(names()).toEqual(['metrics', 'prom-b_4', 'prom-c_5']);
    // The original renamed a source on its second relation-changed; here it is the same.
    expect(names()).toEqual(names());
    expect(readGrafanaSources([...relations].reverse()).sources.map((s) => s.name)).toEqual(
      names(),
    );
  });

  it('a relation without a complete unit offers nothing', () => {
    expect(readLegacySourceUnitBag({ port: '1' })).toEqual({
      missing: ['private-address', 'source-type'],
    });
    expect(readGrafanaSources([legacy(1, 'x', { 'x/0': { port: '1' } })])).toEqual({
      sources: [],
      problems: [],
    });
  });
});

describe("today's format", () => {
  const data = {
    model: 'cos',
    modelUuid: 'u',
    application: 'loki',
    type: 'loki',
    extraFields: { timeout: 30 },
  };

  it('reads back what the source side writes', () => {
    expect(readGrafanaSourceAppBag(grafanaSourceProviderAppBag(data))).toEqual(data);
    const read = readGrafanaSources([
      {
        id: 2,
        app: 'loki',
        appBag: grafanaSourceProviderAppBag(data),
        units: {
          'loki/1': grafanaSourceProviderUnitBag('loki-1:3100'),
          'loki/0': grafanaSourceProviderUnitBag(undefined),
        },
      },
    ]);
    expect(read.sources).toEqual([
      {
        relationId: 2,
        unit: 'loki/1',
        name: 'juju_cos_u_loki_1',
        type: 'loki',
        url: 'http://loki-1:3100',
        jsonData: { timeout: 30 },
        format: 'grafana_source',
      },
    ]);
  });

  it.each([
    [{ grafana_source_data: '[]' }, "key 'grafana_source_data': must be a JSON object, not []"],
    [{ grafana_source_data: '{"model": "m"}' }, "key 'grafana_source_data.model_uuid': is missing"],
    [
      { grafana_source_data: '{"model": "m", "model_uuid": "u", "application": "a", "type": 7}' },
      "key 'grafana_source_data.type': must be a string, not 7",
    ],
    [
      {
        grafana_source_data:
          '{"model": "m", "model_uuid": "u", "application": "a", "type": "t", "extra_fields": [1]}',
      },
      "key 'grafana_source_data.extra_fields': must be a JSON object or null, not [1]",
    ],
  ])('refuses %j, naming the key, and the other relations still count', (appBag, message) => {
    const read = readGrafanaSources([
      { id: 1, app: 'bad', appBag, units: { 'bad/0': { grafana_source_host: 'h:1' } } },
      legacy(2, 'prom', { 'prom/0': PROM }),
    ]);
    expect(read.problems).toEqual([
      { relationId: 1, problem: `grafana_datasource: source application bag, ${message}` },
    ]);
    expect(read.sources.map((s) => s.name)).toEqual(['prom_2']);
  });

  it('answers without a base URL when there is none (Juju deletes a key set to empty)', () => {
    expect(grafanaSourceAnswerBag({ grafanaUid: 'g', datasourceUids: { 'a/0': 'n' } })).toEqual({
      grafana_uid: 'g',
      datasource_uids: '{"a/0": "n"}',
    });
    expect(() => grafanaSourceAnswerBag({ grafanaUid: '', datasourceUids: {} })).toThrow(
      "grafana_datasource: grafana application bag, key 'grafana_uid': must not be empty",
    );
  });
});
