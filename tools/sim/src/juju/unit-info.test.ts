import { describe, expect, test } from 'vitest';
import { sampleModel } from '../../test/juju-model.ts';
import type { UnitState } from '../model.ts';
import { unitInfo } from './unit-info.ts';

const model = sampleModel();
const web0 = model.units['web/0'] as UnitState;

describe('unitInfo', () => {
  test("what the unit sees of each relation: the other side's bags and its own", () => {
    expect(unitInfo(model, web0)).toEqual({
      'workload-version': '2.1',
      'opened-ports': ['9000/tcp'],
      charm: 'local:webapp-0',
      leader: true,
      life: 'alive',
      'relation-info': [
        {
          'relation-id': 0,
          endpoint: 'peers',
          'cross-model': false,
          'related-endpoint': 'peers',
          'application-data': { shared: 'yes' },
          'local-unit': { 'in-scope': true, data: { me: '0' } },
          'related-units': { 'web/1': { 'in-scope': true, data: { me: '1' } } },
        },
        {
          'relation-id': 1,
          endpoint: 'database',
          'cross-model': false,
          'related-endpoint': 'db',
          'application-data': { endpoints: '10.213.7.4:5432' },
          'local-unit': { 'in-scope': true, data: {} },
          'related-units': { 'db/0': { 'in-scope': true, data: { host: 'db-0' } } },
        },
      ],
      'provider-id': 'web-0',
      address: '10.213.7.2',
    });
  });

  test('--endpoint, --related-unit and --app narrow it', () => {
    const db0 = model.units['db/0'] as UnitState;
    const narrowed = unitInfo(model, db0, { endpoint: 'db', relatedUnit: 'web/1' });
    expect(narrowed['relation-info']).toEqual([
      expect.objectContaining({
        'application-data': { database: 'app' },
        'related-units': { 'web/1': { 'in-scope': true, data: {} } },
      }),
    ]);
    const appOnly = unitInfo(model, db0, { appOnly: true })['relation-info'] as object[];
    expect(appOnly[0]).not.toHaveProperty('local-unit');
    expect(appOnly[0]).not.toHaveProperty('related-units');
    expect(unitInfo(model, db0, { endpoint: 'nope' })).not.toHaveProperty('relation-info');
  });
});
