/**
 * Small helpers for the contract suite.
 * @module
 */
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
