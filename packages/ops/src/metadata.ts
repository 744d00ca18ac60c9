/**
 * `@charm-ts/ops/metadata`: a charm's metadata, for the tools around a charm (charm-pack,
 * charm-sim, @charm-ts/testing), never loaded at hook time.
 *
 * - charmcraft.yaml: `parseCharmcraft`, `loadCharmcraft` (they load the `yaml` package) and the
 *   types of what they return (`CharmMeta`, `ConfigOptionMeta`, `ActionMeta`, `EndpointMeta`, …).
 * - Juju's value rules: `configValueProblem`, `parseConfigValue`, `configWithDefaults`,
 *   `checkActionParams`: the one place config values and action parameters are checked.
 * @module
 */

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
export type { ActionParamsProblem, ConfigValue } from './charmcraft/values.ts';
export {
  checkActionParams,
  configValueProblem,
  configWithDefaults,
  parseConfigValue,
} from './charmcraft/values.ts';
export { CharmcraftError } from './errors.ts';
