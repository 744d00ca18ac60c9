/**
 * Relating applications: `integrate` (relation-created on every unit of both sides, then
 * joined both ways for every pair of units) and `remove-relation` (departed, then broken).
 * @module
 */

import type { JujuRelation } from '@charm-ts/juju-model';
import { type CommandHost, findApp } from './command-host.ts';
import { matchEndpoints } from './endpoints.ts';
import { SimError } from './errors.ts';
import { queueCreated, queueJoined, remoteUnits } from './events.ts';
import type { ModelState } from './model.ts';
import { breakRelation } from './unit-lifecycle.ts';

type Side = { app: string; endpoint: string };

/**
 * Relates two endpoints (`app:endpoint`, or `app` when only one endpoint fits) and returns
 * the relation id.
 * @throws SimError `UNKNOWN_APP`, `UNKNOWN_ENDPOINT`, `RELATION_EXISTS`.
 */
export async function integrate(host: CommandHost, a: string, b: string): Promise<number> {
  const { model } = host;
  const [left, right] = matchEndpoints((name) => findApp(model, name), a, b);
  if (liveRelation(model, left, right)) {
    throw new SimError(
      'RELATION_EXISTS',
      `relation ${left.app}:${left.endpoint} ${right.app}:${right.endpoint} already exists`,
    );
  }
  const id = model.nextRelationId++;
  const rel: JujuRelation = {
    id,
    interface: left.interface,
    endpoints: [
      { app: left.app, endpoint: left.endpoint },
      { app: right.app, endpoint: right.endpoint },
    ],
    appData: { [left.app]: {}, [right.app]: {} },
    unitData: {},
    members: {},
    created: [],
  };
  model.relations[String(id)] = rel;
  const units = [...findApp(model, left.app).units, ...findApp(model, right.app).units];
  for (const unit of units) queueCreated(model, rel, unit);
  for (const unit of findApp(model, left.app).units) {
    for (const remote of remoteUnits(model, rel, unit)) {
      queueJoined(model, rel, unit, remote);
      queueJoined(model, rel, remote, unit);
    }
  }
  await host.settle();
  return id;
}

/**
 * Removes the relation between two endpoints: departed on every unit, then broken.
 * @throws SimError `UNKNOWN_APP`, `UNKNOWN_ENDPOINT`, `UNKNOWN_RELATION`.
 */
export async function removeRelation(host: CommandHost, a: string, b: string): Promise<void> {
  const { model } = host;
  const [left, right] = matchEndpoints((name) => findApp(model, name), a, b);
  const rel = liveRelation(model, left, right, 2);
  if (!rel) {
    throw new SimError(
      'UNKNOWN_RELATION',
      `no relation between ${a} and ${b}: see charm-sim status`,
    );
  }
  breakRelation(model, rel);
  await host.settle();
}

/** The relation between both sides that is not being removed (of `size` endpoints, if given). */
function liveRelation(
  model: ModelState,
  left: Side,
  right: Side,
  size?: number,
): JujuRelation | undefined {
  const has = (rel: JujuRelation, side: Side) =>
    rel.endpoints.some((e) => e.app === side.app && e.endpoint === side.endpoint);
  return Object.values(model.relations).find(
    (rel) =>
      !rel.dying &&
      (size === undefined || rel.endpoints.length === size) &&
      has(rel, left) &&
      has(rel, right),
  );
}
