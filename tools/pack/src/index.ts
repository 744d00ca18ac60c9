/**
 * @charm-ts/pack: TypeScript charm → deterministic, deployable .charm files.
 * The `charm-pack` CLI (src/cli.ts) is the usual entry; these are its parts.
 * @module
 */
export { main } from './cli.ts';
export { collectCharms } from './collect.ts';
export {
  BUNDLE_PATH,
  dispatchScript,
  PEBBLE_BUNDLE_PATH,
  PEBBLE_SOURCE_MAP_PATH,
  SOURCE_MAP_PATH,
} from './dispatch.ts';
export { PackError, type PackErrorCode } from './errors.ts';
export { NOTICES_PATH } from './licenses.ts';
export { charmFileName, type PackTarget, packTargets } from './metadata.ts';
export {
  findWorkspaceRoot,
  PACK_VERSION,
  type PackedCharm,
  type PackOptions,
  packCharm,
} from './pack.ts';
export {
  defaultCacheDir,
  loadRuntime,
  RUNTIME_LICENSE_PATH,
  RUNTIME_NODE_PATH,
  type RuntimeEntries,
} from './runtime/node-runtime.ts';
export { NODE_ARCHES, NODE_VERSION } from './runtime/registry.ts';
