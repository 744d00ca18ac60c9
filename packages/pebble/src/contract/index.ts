/**
 * The Pebble contract suite: one set of tests, run against any `Pebble`. Here it runs against
 * the real daemon (`contract.test.ts`); @charm-ts/testing runs it against its in-memory Pebble,
 * so both behave the same wherever a charm can tell.
 *
 * ## The command vocabulary
 *
 * A test double cannot run programs, so services, checks and execs in the suite use only these
 * commands, which an in-memory target must model:
 *
 * | Command | Behaviour |
 * |---|---|
 * | `sleep 1000` (any `sleep N`, N ≥ 1000) | runs until stopped; prints nothing |
 * | `/bin/sh -c "exit 3"` | exits at once with code 3 (a start fails: `exited quickly with code 3`) |
 * | `/bin/sh -c "echo <text>; sleep 1000"` | logs the line `<text>`, then runs until stopped |
 * | `test -f <path>` (exec check) | succeeds while the file exists, else exits 1 |
 *
 * Exec tests (exec.contract.ts) add their own small set: `/bin/sh -c …`, `cat`, `echo`, `env`,
 * `pwd`, `sleep`.
 *
 * Pebble behaviour the suite relies on: a start change finishes about 1 s after the process
 * started (Pebble's "okay delay") and fails if the process exits before; replan restarts only
 * services whose definition changed; a service's `current-since` changes when it (re)starts.
 *
 * A test that needs what only a real daemon can do (kill a service's process) uses an optional
 * `ContractTarget` member and skips, saying why, when the target lacks it.
 * @module
 */
import { describeChangesContract } from './changes.contract.ts';
import { describeChecksContract } from './checks.contract.ts';
import { describeExecContract } from './exec.contract.ts';
import { describeFilesContract } from './files.contract.ts';
import { describeLogsContract } from './logs.contract.ts';
import { describeNoticesContract } from './notices.contract.ts';
import { describePlanContract } from './plan.contract.ts';
import { describeServicesContract } from './services.contract.ts';
import { describeSystemContract } from './system.contract.ts';
import type { ContractTarget } from './target.ts';

export type { ContractTarget } from './target.ts';
export {
  describeChangesContract,
  describeChecksContract,
  describeExecContract,
  describeFilesContract,
  describeLogsContract,
  describeNoticesContract,
  describePlanContract,
  describeServicesContract,
  describeSystemContract,
};

/**
 * Registers the whole contract suite. `makeTarget` is called once per area (each area's
 * `describe` gets a fresh target and closes it afterwards), so areas never see each other's
 * services, layers or notices.
 */
export function describePebbleContract(makeTarget: () => Promise<ContractTarget>): void {
  describeSystemContract(makeTarget);
  describePlanContract(makeTarget);
  describeServicesContract(makeTarget);
  describeChangesContract(makeTarget);
  describeChecksContract(makeTarget);
  describeNoticesContract(makeTarget);
  describeLogsContract(makeTarget);
  describeFilesContract(makeTarget);
  describeExecContract(makeTarget);
}
