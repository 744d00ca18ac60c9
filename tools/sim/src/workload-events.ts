/**
 * Turning what the containers' Pebble daemons report into workload events, as Juju's unit
 * agent does: a new boot id is pebble-ready; a custom notice is pebble-custom-notice; a
 * `perform-check` change in Error is check-failed, a `recover-check` change Done is
 * check-recovered.
 * @module
 */
import { enqueue } from './events.ts';
import type { ModelState, QueuedHook } from './model.ts';
import { bootId, getChange, listNotices } from './pebble-watch.ts';
import { UnitPaths } from './pod.ts';

/**
 * Finds new Pebble boot ids (→ pebble-ready) and notices (→ custom-notice, check-failed,
 * check-recovered) in every installed unit's containers and queues their events.
 * Returns true when it queued any.
 */
export async function pollWorkloads(model: ModelState, stateDir: string): Promise<boolean> {
  let queued = false;
  for (const unit of Object.values(model.units)) {
    if (!unit.installed || unit.dying || unit.failedHook) continue;
    const paths = new UnitPaths(stateDir, unit.name);
    for (const [name, container] of Object.entries(unit.containers)) {
      const socket = paths.pebbleSocket(name);
      const id = await bootId(socket);
      if (!id) continue;
      // Pebble's boot id is the kernel's: a restarted container is told apart by its process.
      if (!container.ready || id !== container.bootId) {
        container.ready = true;
        container.bootId = id;
        enqueue(model, unit.name, { hook: `${name}-pebble-ready`, workload: name });
        queued = true;
      }
      let notices: Awaited<ReturnType<typeof listNotices>> = [];
      try {
        notices = await listNotices(socket, container.noticesAfter);
      } catch {
        continue;
      }
      for (const notice of notices) {
        container.noticesAfter = notice.lastRepeatedRaw;
        const event = await noticeEvent(socket, name, notice);
        if (event) {
          enqueue(model, unit.name, event);
          queued = true;
        }
      }
    }
  }
  return queued;
}

async function noticeEvent(
  socket: string,
  container: string,
  notice: Awaited<ReturnType<typeof listNotices>>[number],
): Promise<QueuedHook | undefined> {
  if (notice.type === 'custom') {
    return {
      hook: `${container}-pebble-custom-notice`,
      workload: container,
      noticeId: notice.id,
      noticeType: notice.type,
      noticeKey: notice.key,
    };
  }
  if (notice.type !== 'change-update') return undefined;
  let change: { kind: string; status: string };
  try {
    change = await getChange(socket, notice.key);
  } catch {
    return undefined;
  }
  const checkName = String(notice.lastData['check-name'] ?? '');
  if (change.kind === 'perform-check' && change.status === 'Error') {
    return { hook: `${container}-pebble-check-failed`, workload: container, checkName };
  }
  if (change.kind === 'recover-check' && change.status === 'Done') {
    return { hook: `${container}-pebble-check-recovered`, workload: container, checkName };
  }
  return undefined;
}
