/**
 * `juju show-unit`: a unit's charm, leadership, ports, address and, per relation it is in,
 * what it sees: the related application's data bag, its own unit bag (`local-unit`) and the
 * bags of the related units that joined (`related-units`), in jubilant's `UnitInfo` shape.
 * @module
 */

import type { JujuRelation } from '@charm-ts/juju-model';
import { endpointOf } from '../events.ts';
import type { ModelState, UnitState } from '../model.ts';
import { byUnitNumber } from './status.ts';

/** Which relation data `show-unit` shows. */
export interface UnitInfoFilter {
  /** Optional: only relations through this endpoint of the unit. */
  readonly endpoint?: string;
  /** Optional: only this related unit's data. */
  readonly relatedUnit?: string;
  /** Optional: application data only. */
  readonly appOnly?: boolean;
}

/** The unit's `show-unit` document (the value under its name). */
export function unitInfo(
  model: ModelState,
  unit: UnitState,
  filter: UnitInfoFilter = {},
): Record<string, unknown> {
  const app = model.apps[unit.app];
  const revision = (app?.charmRevision ?? 1) - 1;
  const relationInfo = Object.values(model.relations)
    .filter((rel) => !rel.dying && rel.endpoints.some((e) => e.app === unit.app))
    .filter((rel) => !filter.endpoint || endpointOf(rel, unit.app) === filter.endpoint)
    .sort((a, b) => a.id - b.id)
    .map((rel) => relationData(rel, unit, filter));
  return {
    ...(app?.version ? { 'workload-version': app.version } : {}),
    'opened-ports': [...unit.ports],
    charm: `local:${app?.charm.name ?? unit.app}-${revision}`,
    leader: app?.leader === unit.name,
    life: unit.dying ? 'dying' : 'alive',
    ...(relationInfo.length ? { 'relation-info': relationInfo } : {}),
    'provider-id': unit.name.replace('/', '-'),
    address: unit.address,
  };
}

function relationData(
  rel: JujuRelation,
  unit: UnitState,
  filter: UnitInfoFilter,
): Record<string, unknown> {
  const own = rel.endpoints.find((e) => e.app === unit.app);
  const other = rel.endpoints.find((e) => e !== own) ?? own;
  const related: Record<string, unknown> = {};
  if (!filter.appOnly) {
    const seen = [...(rel.members[unit.name] ?? [])].sort(byUnitNumber);
    for (const remote of seen) {
      if (filter.relatedUnit && remote !== filter.relatedUnit) continue;
      related[remote] = { 'in-scope': true, data: { ...(rel.unitData[remote] ?? {}) } };
    }
  }
  return {
    'relation-id': rel.id,
    endpoint: own?.endpoint,
    'cross-model': false,
    'related-endpoint': other?.endpoint,
    'application-data': { ...(rel.appData[other?.app ?? ''] ?? {}) },
    ...(filter.appOnly
      ? {}
      : {
          'local-unit': {
            'in-scope': rel.created.includes(unit.name),
            data: { ...(rel.unitData[unit.name] ?? {}) },
          },
        }),
    ...(Object.keys(related).length ? { 'related-units': related } : {}),
  };
}
