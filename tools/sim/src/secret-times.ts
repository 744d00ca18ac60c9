/**
 * When secrets were made and changed, as `juju secrets` and `show-secret` report them: stamped
 * when the hook that made the change commits (the moment Juju's controller records it).
 * @module
 */
import { now, type SecretState } from './model.ts';

/**
 * Stamps `after` (the model's secrets once a hook committed) against `before`: a new secret
 * gets `created`, a new revision its `created`, and a secret whose revisions or metadata
 * (label, description, expiry, rotation) changed gets `updated`; a consumer reading it does
 * not change it.
 */
export function stampSecrets(
  before: Readonly<Record<string, SecretState>>,
  after: Record<string, SecretState>,
  newRevisions: ReadonlySet<string>,
): void {
  const time = now();
  for (const [id, secret] of Object.entries(after)) {
    const old = before[id];
    secret.created ??= old?.created ?? time;
    for (const revision of secret.revisions) revision.created ??= time;
    if (!old || newRevisions.has(id) || unstamped(old) !== unstamped(secret)) {
      secret.updated = time;
    } else {
      secret.updated ??= old.updated ?? secret.created;
    }
  }
}

/** What an owner changes of a secret (not who reads it, nor the timers), to compare. */
function unstamped(secret: SecretState): string {
  const { label, description, expire, rotate, revisions } = secret;
  return JSON.stringify({
    label,
    description,
    expire,
    rotate,
    revisions: revisions.map((r) => [r.revision, r.content]),
  });
}
