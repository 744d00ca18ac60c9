/**
 * The secret events that come from the clock: `secret-rotate` when a rotation policy falls due
 * and `secret-expired` when the latest revision's expiry passes. Juju repeats each (after a
 * retry delay) until the owner adds a revision or removes the expired one.
 * @module
 */
import { enqueue } from './events.ts';
import type { ModelState } from './model.ts';

/** How long Juju waits before firing secret-rotate or secret-expired again. */
export const SECRET_RETRY_MS = 5 * 60_000;

/** Queues the secret events due at `now` on each owner. Returns true when it queued any. */
export function queueDueSecretEvents(model: ModelState, now: number): boolean {
  let queued = false;
  for (const secret of Object.values(model.secrets)) {
    const owner = secret.ownerKind === 'unit' ? secret.owner : model.apps[secret.owner]?.leader;
    if (!owner || !model.units[owner]) continue;
    const latest = Math.max(...secret.revisions.map((r) => r.revision));
    const label = secret.label ? { secretLabel: secret.label } : {};
    if (secret.nextRotate && Date.parse(secret.nextRotate) <= now) {
      enqueue(model, owner, { hook: 'secret-rotate', secretId: secret.id, ...label });
      secret.nextRotate = new Date(now + SECRET_RETRY_MS).toISOString();
      queued = true;
    }
    const due = secret.nextExpired ?? secret.expire;
    if (due && Date.parse(due) <= now) {
      enqueue(model, owner, {
        hook: 'secret-expired',
        secretId: secret.id,
        ...label,
        secretRevision: latest,
      });
      secret.nextExpired = new Date(now + SECRET_RETRY_MS).toISOString();
      queued = true;
    }
  }
  return queued;
}
