/**
 * storage-get, storage-list, storage-add.
 * @module
 */
import type { HookContext } from './context.ts';
import { runError, usageError } from './errors.ts';
import type { CharmFacts, StorageInstance } from './model.ts';

/** Where Juju mounts instance `index` of a storage without a `location` of its own. */
export function storageLocation(name: string, location: string | undefined, index = 0): string {
  return location ?? `/var/lib/juju/storage/${name}/${index}`;
}

/** One instance (index 0) of each storage the charm declares, as a unit gets them at deploy. */
export function declaredStorage(charm: CharmFacts): StorageInstance[] {
  return Object.entries(charm.storage).map(([name, raw]) => {
    const spec = raw as { type?: string; location?: string } | undefined;
    return {
      id: `${name}/0`,
      kind: spec?.type ?? 'filesystem',
      location: storageLocation(name, spec?.location),
    };
  });
}

/**
 * `storage-get`: an attached instance (default: the storage hook's).
 * @throws JujuError exit 2 `no storage instance specified`, `invalid value "x/9" for option -s:
 * storage instance "x/9" not found`.
 */
export function storageGet(ctx: HookContext, id?: string | undefined): StorageInstance {
  const wanted = id ?? ctx.hook?.storageId;
  if (!wanted) throw usageError('no storage instance specified');
  const found = ctx.host.storage().find((s) => s.id === wanted);
  if (!found) {
    throw usageError(
      `invalid value "${wanted}" for option -s: storage instance "${wanted}" not found`,
    );
  }
  return found;
}

/** `storage-list`: ids of the attached instances (of one storage, when named). */
export function storageList(ctx: HookContext, name?: string | undefined): string[] {
  return ctx.host
    .storage()
    .map((s) => s.id)
    .filter((id) => name === undefined || id.startsWith(`${name}/`));
}

/**
 * `storage-add`: asks for more instances, added when the hook commits.
 * @throws JujuError exit 1 `storage "x" not found` for a storage the charm does not declare.
 */
export function storageAdd(ctx: HookContext, counts: Readonly<Record<string, number>>): void {
  for (const name of Object.keys(counts)) {
    if (!(name in ctx.app.charm.storage)) throw runError(`storage "${name}" not found`);
  }
  for (const [name, count] of Object.entries(counts)) {
    ctx.draft.storageAdds[name] = (ctx.draft.storageAdds[name] ?? 0) + count;
  }
}
