/**
 * `juju secrets` and `juju show-secret`: the charms' secrets in Juju's shape (by bare id:
 * revision, owner, label, description, expiry and rotation, created and updated; the content
 * with `--reveal`, the revisions with `--revisions`), what jubilant's `Secret` reads.
 * @module
 */
import { bareSecretId, latestRevision as latest } from '@charm-ts/juju-model';
import type { ModelState, SecretState } from '../model.ts';
import { JujuError } from './errors.ts';
import { rfc3339 } from './times.ts';

/** How `show-secret` shows a secret. */
export interface SecretView {
  readonly reveal?: boolean;
  /** Optional: the revision to reveal (default the latest). */
  readonly revision?: number;
  readonly revisions?: boolean;
}

/** One secret's entry (without its id). */
export function secretEntry(secret: SecretState, view: SecretView = {}): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    revision: latest(secret),
    ...(secret.expire ? { expires: rfc3339(secret.expire) } : {}),
    ...(secret.rotate && secret.rotate !== 'never' ? { rotation: secret.rotate } : {}),
    ...(secret.nextRotate ? { rotates: rfc3339(secret.nextRotate) } : {}),
    owner: secret.owner,
    ...(secret.description ? { description: secret.description } : {}),
    ...(secret.label ? { label: secret.label } : {}),
    ...(secret.created ? { created: rfc3339(secret.created) } : {}),
    ...(secret.updated ? { updated: rfc3339(secret.updated) } : {}),
  };
  if (view.revisions) {
    entry.revisions = secret.revisions.map((r) => ({
      revision: r.revision,
      backend: 'internal',
      ...(r.created ? { created: rfc3339(r.created), updated: rfc3339(r.created) } : {}),
    }));
  }
  if (view.reveal) {
    const wanted = view.revision ?? latest(secret);
    const revision = secret.revisions.find((r) => r.revision === wanted);
    if (!revision) {
      throw new JujuError(`secret revision ${wanted} not found`);
    }
    entry.content = { Data: { ...revision.content } };
  }
  return entry;
}

/** Every secret of the model (of `owner` only, if given), by bare id. */
export function secretList(model: ModelState, owner?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const secrets = Object.values(model.secrets).sort((a, b) => a.id.localeCompare(b.id));
  for (const secret of secrets) {
    if (owner !== undefined && secret.owner !== owner) continue;
    out[bareSecretId(secret.id)] = secretEntry(secret);
  }
  return out;
}

/**
 * The secret `ref` names: its URI (`secret:…`), bare id, or label.
 * @throws JujuError when none matches.
 */
export function findSecret(model: ModelState, ref: string): SecretState {
  const bare = bareSecretId(ref);
  const found =
    Object.values(model.secrets).find((s) => bareSecretId(s.id) === bare) ??
    Object.values(model.secrets).find((s) => s.label === ref);
  if (!found) throw new JujuError(`secret "${ref}" not found`);
  return found;
}
