/**
 * Committing a hook that exited 0: relation data, charm state, ports and secrets move from the
 * hook's draft into the model, and what changed is announced (relation-changed on the units
 * that see it, secret-changed on consumers, secret-remove on owners).
 * @module
 */
import type { Draft } from '@charm-ts/juju-model';
import { endpointOf, enqueue } from './events.ts';
import type { AppState, ModelState, UnitState } from './model.ts';

/** Applies a successful hook's draft and queues what its changes cause. */
export function commitDraft(model: ModelState, unit: UnitState, app: AppState, draft: Draft): void {
  const leader = app.leader === unit.name;
  for (const [id, changed] of Object.entries(draft.relations)) {
    const live = model.relations[id];
    if (!live) continue;
    const ownUnit = changed.unitData[unit.name] ?? {};
    if (JSON.stringify(ownUnit) !== JSON.stringify(live.unitData[unit.name] ?? {})) {
      live.unitData[unit.name] = ownUnit;
      for (const [other, members] of Object.entries(live.members)) {
        if (other === unit.name || !members.includes(unit.name)) continue;
        enqueue(model, other, {
          hook: `${endpointOf(live, other.split('/')[0] as string)}-relation-changed`,
          relationId: live.id,
          remoteUnit: unit.name,
          remoteApp: app.name,
        });
      }
    }
    const ownApp = changed.appData[app.name] ?? {};
    if (leader && JSON.stringify(ownApp) !== JSON.stringify(live.appData[app.name] ?? {})) {
      live.appData[app.name] = ownApp;
      for (const other of live.created) {
        const otherAppName = other.split('/')[0] as string;
        if (other === unit.name) continue;
        if (live.endpoints.length > 1 && otherAppName === app.name) continue;
        enqueue(model, other, {
          hook: `${endpointOf(live, otherAppName)}-relation-changed`,
          relationId: live.id,
          remoteApp: app.name,
        });
      }
    }
  }
  model.secrets = draft.secrets;
  unit.state = draft.state;
  unit.ports = draft.ports;
  queueSecretRemoves(model);
  for (const id of draft.newRevisions) {
    const secret = model.secrets[id];
    if (!secret) continue;
    const latest = Math.max(...secret.revisions.map((r) => r.revision));
    for (const [consumer, view] of Object.entries(secret.consumers)) {
      if (view.revision >= latest || !model.units[consumer]) continue;
      enqueue(model, consumer, {
        hook: 'secret-changed',
        secretId: secret.id,
        ...(view.label ? { secretLabel: view.label } : {}),
      });
    }
  }
}

/** Tells owners about old revisions no consumer tracks any more (secret-remove). */
export function queueSecretRemoves(model: ModelState): void {
  for (const secret of Object.values(model.secrets)) {
    const latest = Math.max(...secret.revisions.map((r) => r.revision));
    const tracked = new Set(Object.values(secret.consumers).map((c) => c.revision));
    const owner = secret.ownerKind === 'unit' ? secret.owner : model.apps[secret.owner]?.leader;
    if (!owner) continue;
    for (const { revision } of secret.revisions) {
      if (revision === latest || tracked.has(revision)) continue;
      if (secret.removeNotified?.includes(revision)) continue;
      secret.removeNotified = [...(secret.removeNotified ?? []), revision];
      enqueue(model, owner, {
        hook: 'secret-remove',
        secretId: secret.id,
        ...(secret.label ? { secretLabel: secret.label } : {}),
        secretRevision: revision,
      });
    }
  }
}
