/**
 * Small helpers for the contract suite.
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import type { ContractTarget } from './target.ts';

/** Resolves to the rejection reason of `promise`, or undefined when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/**
 * Polls `probe` until it returns a value other than undefined (a state the target reaches by
 * itself, such as a restarted service), giving up after `limitMs` with the last state seen.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  limitMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs} ms waiting for ${what}`);
    await delay(50);
  }
}

/**
 * Builds an area's target before its tests (handing it to `onBuilt`, which may set it up) and
 * closes it after them,
 * so areas never see each other's state.
 */
export function useTarget(
  makeTarget: () => Promise<ContractTarget>,
  onBuilt: (target: ContractTarget) => void | Promise<void>,
): void {
  let built: ContractTarget | undefined;
  beforeAll(async () => {
    built = await makeTarget();
    await onBuilt(built);
  });
  afterAll(async () => {
    await built?.close();
  });
}
