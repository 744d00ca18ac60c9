/**
 * What the relation libraries share: the live relations of their endpoint, reading a bag with
 * one of this package's readers through @charm-ts/ops' relation-data codec, and writing a bag
 * whole.
 * @module
 */
import {
  type BagRef,
  type EventMap,
  Library,
  type LibraryParent,
  type LoadOptions,
  type Relation,
  type StandardSchema,
} from '@charm-ts/ops';
import { bagChanges, type DataBag } from './bag.ts';
import { RelationDataError } from './errors.ts';

/** `Relation.load` option: the bag's values as Juju holds them (this package's readers decode them). */
const RAW: LoadOptions = { decode: (value) => value };

/**
 * A Standard Schema over one of this package's readers, for `Relation.load(schema, bag, { decode:
 * (v) => v })`: the reader's value, or one issue naming the key when it throws
 * `RelationDataError`. The codec then throws @charm-ts/ops' `RelationDataError`, whose message
 * names the relation, the bag and the key.
 */
export function bagSchema<T>(read: (bag: DataBag) => T): StandardSchema<DataBag, T> {
  return {
    '~standard': {
      version: 1,
      vendor: 'charm-ts-relations',
      validate(value) {
        try {
          return { value: read(value as DataBag) };
        } catch (error) {
          if (!(error instanceof RelationDataError)) throw error;
          return { issues: [{ message: error.problem, path: error.key.split('.') }] };
        }
      },
    },
  };
}

/**
 * Base class of the relation libraries: a `Library` on one endpoint (its namespace is
 * `<kind>[<endpoint>]`), with what they share: the endpoint's relations, reading a bag with a
 * reader of this package, writing a bag whole or in part.
 */
export abstract class RelationLibrary<E extends EventMap<E>> extends Library<E> {
  /** The endpoint, as in charmcraft.yaml. */
  readonly endpoint: string;

  /**
   * Throws `FrameworkError` for a second library on the endpoint (and, from the first observer a
   * subclass registers on it, when the charm does not declare it).
   */
  protected constructor(parent: LibraryParent, kind: string, endpoint: string) {
    super(parent, kind, endpoint);
    this.endpoint = endpoint;
  }

  /** The relations on the endpoint; ops' model leaves out the one being broken. */
  relations(): Promise<Relation[]> {
    return this.model.relations(this.endpoint);
  }

  /** True when `relation` is the one this dispatch's relation-broken hook is about. */
  protected isBroken(relation: Relation): boolean {
    return !relation.active;
  }

  /**
   * Reads a bag of `relation` (the remote app's by default) with `read`. Throws @charm-ts/ops'
   * `RelationDataError` naming the relation, the bag and the key when `read` refuses it.
   */
  protected load<T>(
    relation: Relation,
    read: (bag: DataBag) => T,
    bag: BagRef = 'remote-app',
  ): Promise<T> {
    return relation.load(bagSchema(read), bag, RAW);
  }

  /**
   * Makes this app's (leader only) or this unit's bag `want`: one `relation-set` of the keys that
   * differ and the stale ones deleted (Juju's own kept, see `bagChanges`); none when it already is.
   */
  protected async writeWhole(
    relation: Relation,
    bag: 'local-app' | 'local-unit',
    want: DataBag,
  ): Promise<void> {
    const have =
      bag === 'local-app' ? await relation.localAppData() : await relation.localUnitData();
    const changes = bagChanges(have, want);
    if (Object.keys(changes).length === 0) return;
    if (bag === 'local-app') await relation.setAppData(changes);
    else await relation.setUnitData(changes);
  }

  /** Writes the keys of `want` that differ (other keys of the bag are left alone); none when none do. */
  protected async update(
    relation: Relation,
    bag: 'local-app' | 'local-unit',
    want: DataBag,
  ): Promise<void> {
    const have =
      bag === 'local-app' ? await relation.localAppData() : await relation.localUnitData();
    const changes = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
    if (Object.keys(changes).length === 0) return;
    if (bag === 'local-app') await relation.setAppData(changes);
    else await relation.setUnitData(changes);
  }
}
