/**
 * Writing a data bag whole: the libraries `clear()` a bag before they write it, so a key an
 * earlier version wrote does not linger. Done here as one `relation-set` of the difference.
 * @module
 */

/** A relation data bag: strings only, as Juju holds them. */
export type DataBag = Readonly<Record<string, string>>;

/**
 * Keys Juju itself puts in every unit bag. The Python libraries' `clear()` deletes them too;
 * they belong to Juju (and to every other reader of the bag), not to the interface, so a bag
 * written whole keeps them.
 */
export const JUJU_KEYS: ReadonlySet<string> = new Set([
  'ingress-address',
  'private-address',
  'egress-subnets',
]);

/**
 * What to give `relation-set` so that the bag `have` becomes `want`: the keys whose value
 * differs, and `''` (Juju's "delete") for each key of `have` that `want` lacks, except
 * {@link JUJU_KEYS}. Empty when the bag already is `want`: write nothing then.
 */
export function bagChanges(have: DataBag, want: DataBag): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const [key, value] of Object.entries(want)) {
    if (have[key] !== value) changes[key] = value;
  }
  for (const key of Object.keys(have)) {
    if (!(key in want) && !JUJU_KEYS.has(key) && have[key] !== '') changes[key] = '';
  }
  return changes;
}
