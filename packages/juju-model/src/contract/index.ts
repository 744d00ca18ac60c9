/**
 * The hook-tool contract suite: one table of Juju behaviours (each with Juju's exact result, or
 * exit code and error text), run through ops' `HookTools` interface against any target. Here
 * @charm-ts/testing runs it against its in-memory tools, and charm-sim against its hook-tool
 * executables, spawned as a hook spawns them; so both behave as Juju does, and as each other.
 *
 * Every case starts from the fixture of `fixture.ts` (a unit `app/0`, a relation to `pg`, a peer
 * relation, three secrets), with the case's leadership, hook or action and changes.
 * @module
 */
import { HookToolError } from '@charm-ts/ops';
import { describe, expect, test } from 'vitest';
import type { ContractCase, HookToolTarget } from './case.ts';
import { contractModel, UNIT } from './fixture.ts';
import { relationCases } from './relation-cases.ts';
import { secretCases } from './secret-cases.ts';
import { unitCases } from './unit-cases.ts';

export type { ContractCase, ContractOutcome, ContractSetup, HookToolTarget } from './case.ts';
export { BROKEN, CLUSTER, DB, DEPARTED, relationRemoved } from './case.ts';
export { contractModel, MODEL_UUID, SECRETS, UNIT } from './fixture.ts';

/** Every row of the contract, by family. */
export const CONTRACT_CASES: Readonly<Record<string, readonly ContractCase[]>> = {
  relations: relationCases,
  secrets: secretCases,
  unit: unitCases,
};

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { result: await run() };
  } catch (error) {
    if (!(error instanceof HookToolError)) throw error;
    return { exitCode: error.exitCode, stderr: error.stderr.trim() };
  }
}

/** Registers the suite for `target`: one test per row. */
export function describeHookToolContract(target: HookToolTarget): void {
  describe(`hook-tool contract: ${target.name}`, () => {
    for (const [family, cases] of Object.entries(CONTRACT_CASES)) {
      describe(family, () => {
        for (const c of cases) {
          test(c.name, async () => {
            const model = contractModel();
            const app = model.apps.app;
            if (app && c.leader) app.leader = UNIT;
            c.given?.(model);
            const action = c.action && { ...structuredClone(c.action), results: {}, log: [] };
            const hook = action ? undefined : (c.hook ?? { hook: 'start' });
            const { tools, close } = await target.open({ model, unit: UNIT, hook, action });
            try {
              expect(await outcome(() => c.run(tools))).toEqual(c.expect);
            } finally {
              await close();
            }
          });
        }
      });
    }
  });
}
