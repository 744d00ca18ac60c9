/**
 * Pebble's start and stop order: dependencies (`requires`) pulled in, `after`/`before`
 * sorted with Tarjan's algorithm over names in sorted order, then split into lanes (a
 * service shares its lane with what it requires). A cycle is Pebble's FormatError text.
 * @module
 */

import type { Service } from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';

type Services = Record<string, Service>;

function notFound(name: string): APIError {
  return new APIError(400, `service "${name}" does not exist`);
}

function tarjanSort(successors: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowlink: number[] = [];
  const stacked: boolean[] = [];
  const stack: string[] = [];
  const output: string[][] = [];
  const connect = (id: string): number => {
    const i = lowlink.length;
    index.set(id, i);
    lowlink.push(i);
    stacked.push(true);
    stack.push(id);
    for (const succ of successors.get(id) ?? []) {
      const seen = index.get(succ);
      if (seen === undefined) {
        const low = connect(succ);
        if (low < (lowlink[i] as number)) lowlink[i] = low;
      } else if (stacked[seen] && seen < (lowlink[i] as number)) {
        lowlink[i] = seen;
      }
    }
    if (lowlink[i] === i) {
      const scc: string[] = [];
      for (;;) {
        const top = stack.pop() as string;
        stacked[index.get(top) as number] = false;
        scc.push(top);
        if (top === id) break;
      }
      output.push(scc.length > 1 ? scc.sort() : scc);
    }
    return lowlink[i] as number;
  };
  for (const id of [...successors.keys()].sort()) {
    if (!index.has(id)) connect(id);
  }
  return output;
}

function order(services: Services, names: readonly string[], stop: boolean): string[] {
  const predecessors = new Map<string, string[]>();
  if (stop) {
    for (const [name, service] of Object.entries(services)) {
      for (const req of service.requires ?? [])
        predecessors.set(req, [...(predecessors.get(req) ?? []), name]);
    }
  }
  const successors = new Map<string, string[]>();
  const pending = [...names];
  for (let i = 0; i < pending.length; i++) {
    const name = pending[i] as string;
    if (successors.has(name)) continue;
    successors.set(name, []);
    if (stop) {
      pending.push(...(predecessors.get(name) ?? []));
    } else {
      const service = services[name];
      if (!service) throw notFound(name);
      pending.push(...(service.requires ?? []));
    }
  }
  for (const name of successors.keys()) {
    const service = services[name];
    if (!service) throw notFound(name);
    const succs = successors.get(name) as string[];
    const after = stop ? service.before : service.after;
    const before = stop ? service.after : service.before;
    for (const a of after ?? []) if (successors.has(a)) succs.push(a);
    for (const b of before ?? []) successors.get(b)?.push(name);
  }
  return tarjanSort(successors).map((scc) => {
    if (scc.length > 1) throw new APIError(400, `services in before/after loop: ${scc.join(', ')}`);
    return scc[0] as string;
  });
}

function createLanes(names: string[], services: Services): string[][] {
  const laneOf = new Map<string, number>();
  let lane = -1;
  let maxLane = 0;
  const map = (service: string, to: number): void => {
    laneOf.set(service, to);
    for (const dep of services[service]?.requires ?? []) laneOf.set(dep, to);
  };
  for (const name of names) {
    const service = services[name];
    if (!service) throw notFound(name);
    const own = laneOf.get(name);
    const viaDep = (service.requires ?? []).map((d) => laneOf.get(d)).find((l) => l !== undefined);
    const chosen = own ?? viaDep ?? lane + 1;
    map(name, chosen);
    lane = chosen;
    if (lane > maxLane) maxLane = lane;
  }
  const lanes: string[][] = Array.from({ length: maxLane + 1 }, () => []);
  for (const name of names) lanes[laneOf.get(name) as number]?.push(name);
  return lanes;
}

/** Lanes of services to start for `names`, dependencies first. Throws APIError 400. */
export function startOrder(services: Services, names: readonly string[]): string[][] {
  return createLanes(order(services, names, false), services);
}

/** Lanes of services to stop for `names`, dependents first. Throws APIError 400. */
export function stopOrder(services: Services, names: readonly string[]): string[][] {
  return createLanes(order(services, names, true), services);
}
