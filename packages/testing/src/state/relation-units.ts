/**
 * The remote side of any relation, one way for the three kinds: a peer relation's other units
 * are this application's, a subordinate relation has its one principal unit.
 * @module
 */
import type { AnyRelation, DataBag } from './types.ts';

/** The remote application: the relation's, or this one for a peer relation. */
export function remoteAppOf(relation: AnyRelation, appName: string): string {
  return relation.peer ? appName : relation.remoteApp;
}

/** The remote units' bags by unit number. */
export function remoteUnitBags(relation: AnyRelation): Readonly<Record<number, DataBag>> {
  if (relation.peer) return relation.peersData;
  if (relation.subordinate) return { [relation.remoteUnit]: relation.remoteUnitData };
  return relation.remoteUnitsData;
}

/** Where a test names the remote units of `relation` (for messages). */
export function remoteUnitsField(relation: AnyRelation): string {
  if (relation.peer) return 'peersData';
  return relation.subordinate ? 'remoteUnit' : 'remoteUnitsData';
}
