/**
 * @charm-ts/ops: the charm runtime, from Juju's hook environment to typed events and back.
 * @module
 */

// charmcraft.yaml (build/test time; never on the dispatch path)
export { loadCharmcraft, parseCharmcraft } from './charmcraft/parse.ts';
export type {
  ActionMeta,
  BaseMeta,
  CharmMeta,
  CharmRuntimeMeta,
  ConfigOptionMeta,
  ConfigOptionType,
  ContainerMeta,
  EndpointMeta,
  EndpointRole,
  JsonSchema,
  ResourceMeta,
  StorageMeta,
} from './charmcraft/types.ts';

// Errors
export {
  CharmcraftError,
  FrameworkError,
  HookEnvironmentError,
  HookToolError,
  InvalidConfigError,
  JujuVersionError,
  ModelError,
  OpsError,
  RelationDataAccessError,
  RelationDataTypeError,
  RelationNotFoundError,
  SecretNotFoundError,
} from './errors.ts';

// Hook tools: the interface (implemented in memory by @charm-ts/testing) and the process backend
export { processHookTools } from './hook-tools/process.ts';
export type { Run } from './hook-tools/run.ts';
export type {
  AppStatusInfo,
  CloudSpec,
  GoalState,
  GoalStatus,
  HookTools,
  LogLevel,
  NetworkAddress,
  NetworkInfo,
  Port,
  RelationRef,
  SecretAddOptions,
  SecretGetOptions,
  SecretInfo,
  SecretLookup,
  SecretMetadataOptions,
  SecretRevokeOptions,
  SecretRotate,
  SecretSetOptions,
  SettableStatus,
  StatusInfo,
  StatusName,
  StorageInfo,
} from './hook-tools/types.ts';
export { translateToolError } from './model/backend.ts';
