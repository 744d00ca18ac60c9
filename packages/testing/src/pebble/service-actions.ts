/**
 * What a `POST /v1/services` action means, before anything runs: Pebble's argument checks and
 * texts, the stop and start lanes, the change summary (`Start service "a" and 2 more`) and
 * the service names the change is filed under.
 * @module
 */

import type { Plan } from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';
import type { TaskSpec } from './changes.ts';
import { startOrder, stopOrder } from './lanes.ts';

/** The service actions of `POST /v1/services`. */
export type ServiceActionName = 'start' | 'stop' | 'restart' | 'autostart' | 'replan';

/** A planned service change. */
export interface PlannedServiceAction {
  summary: string;
  tasks: TaskSpec[];
  stopLanes: string[][];
  startLanes: string[][];
  serviceNames: string[];
}

/**
 * Plans `action` on `names`. `replanLanes` gives replan's stop and start lanes. Throws
 * APIError 400 with Pebble's text for bad arguments or an unknown service.
 */
export function planServiceAction(
  action: ServiceActionName | (string & {}),
  names: readonly string[],
  plan: Plan,
  replanLanes: (plan: Plan) => [string[][], string[][]],
): PlannedServiceAction {
  let requested = [...names];
  if (action === 'replan' || action === 'autostart') {
    if (requested.length !== 0) throw new APIError(400, `${action} accepts no service names`);
    if (action === 'autostart') {
      requested = Object.keys(plan.services).filter((n) => plan.services[n]?.startup === 'enabled');
      if (requested.length === 0)
        throw new APIError(400, 'no default services', 'no-default-services');
    }
  } else if (!['start', 'stop', 'restart'].includes(action)) {
    if (requested.length === 0)
      throw new APIError(400, `must specify services for ${action} action`);
    throw new APIError(400, `invalid action "${action}"`);
  } else if (requested.length === 0) {
    throw new APIError(400, `must specify services for ${action} action`);
  }

  let stopLanes: string[][] = [];
  let startLanes: string[][] = [];
  let counted: string[];
  try {
    if (action === 'start' || action === 'autostart') {
      startLanes = startOrder(plan.services, requested);
    } else if (action === 'stop') {
      stopLanes = stopOrder(plan.services, requested);
    } else if (action === 'restart') {
      stopLanes = stopOrder(plan.services, requested)
        .map((lane) => lane.filter((n) => requested.includes(n)))
        .filter((lane) => lane.length > 0);
      startLanes = startOrder(plan.services, requested);
    } else {
      [stopLanes, startLanes] = replanLanes(plan);
    }
  } catch (error) {
    if (error instanceof APIError)
      throw new APIError(400, `cannot ${action} services: ${error.message}`);
    throw error;
  }
  if (action === 'replan') {
    requested = [...new Set([...stopLanes.flat(), ...startLanes.flat()])].sort();
    counted = requested;
  } else {
    counted = (action === 'stop' ? stopLanes : startLanes).flat();
  }

  const title = action.charAt(0).toUpperCase() + action.slice(1);
  const specs: TaskSpec[] = [
    ...stopLanes.flat().map((name) => ({ kind: 'stop', summary: `Stop service "${name}"` })),
    ...startLanes.flat().map((name) => ({ kind: 'start', summary: `Start service "${name}"` })),
  ];
  if (specs.length === 0) {
    return {
      summary: `${title} - no services`,
      tasks: [],
      stopLanes,
      startLanes,
      serviceNames: [],
    };
  }
  const summary =
    counted.length === 1
      ? `${title} service "${requested[0]}"`
      : `${title} service "${requested[0]}" and ${counted.length - 1} more`;
  return { summary, tasks: specs, stopLanes, startLanes, serviceNames: requested };
}
