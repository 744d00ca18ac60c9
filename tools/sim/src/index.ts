/**
 * @charm-ts/sim: a local Juju that runs packed sidecar charms against real Pebble daemons.
 * @module
 */

export { podsProblem, which } from './binaries.ts';
export type { CharmEndpoint, CharmInfo } from './charm.ts';
export { charmEndpoints, readCharmDir, unpackCharm } from './charm.ts';
export { parseActionArgs } from './cli-args.ts';
export type { DebugLogOptions } from './debug-log.ts';
export type { SimErrorCode } from './errors.ts';
export { INSTALL_HINTS, SimError } from './errors.ts';
export { hookToolBundle } from './hook-runner.ts';
export type { JubilantRunOptions, JubilantRunResult } from './jubilant.ts';
export {
  defaultJubilantVenv,
  JUBILANT_VERSION,
  jubilantProblem,
  jujuShimDir,
  PYTEST_VERSION,
  runJubilantTests,
} from './jubilant.ts';
export type { JujuIo } from './juju/main.ts';
export { jujuMain } from './juju/main.ts';
export type { ActionRecord, AppState, ModelState, UnitState } from './model.ts';
export type { WatchOptions } from './model-commands.ts';
export type { PackPythonCharmOptions, PythonCharmOptions } from './python-charm.ts';
export {
  charmLibPath,
  defaultCharmLibsDir,
  defaultPythonVenv,
  packPythonCharm,
  pythonCharmProblem,
} from './python-charm.ts';
export type { HookProblem } from './scheduler.ts';
export type { CommandResult, DeployOptions, SimulatorOptions } from './simulator.ts';
export { Simulator } from './simulator.ts';
export type { StatusView } from './status-view.ts';
export { formatStatus, statusView } from './status-view.ts';
export { defaultStateDir } from './store.ts';
