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
