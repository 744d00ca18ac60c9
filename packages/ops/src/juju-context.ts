/**
 * The hook environment, read once into a frozen `JujuContext`.
 * @module
 */
import { HookEnvironmentError } from './errors.ts';
import { type JujuVersion, parseJujuVersion } from './juju-version.ts';

/** Everything the runtime reads from `JUJU_*` variables. */
export interface JujuContext {
  /** `hooks/<hook>` or `actions/<action>`. */
  readonly dispatchPath: string;
  /** The hook's name (`db-relation-changed`), or the action's name for actions. */
  readonly hookName: string;
  readonly isAction: boolean;
  readonly unitName: string;
  readonly appName: string;
  readonly modelName: string;
  readonly modelUuid: string;
  readonly version: JujuVersion;
  readonly charmDir: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Environment variables every dispatch needs. */
export const REQUIRED_VARS = [
  'JUJU_DISPATCH_PATH',
  'JUJU_UNIT_NAME',
  'JUJU_MODEL_NAME',
  'JUJU_MODEL_UUID',
  'JUJU_VERSION',
] as const;

/** Reads `name` or throws `HookEnvironmentError` naming it and the hook. */
export function requireVar(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  why: string,
): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new HookEnvironmentError(`${name} is not set (${why}); is this running as a Juju hook?`);
  }
  return value;
}

/**
 * Builds the context from an environment. Throws `HookEnvironmentError` naming the first missing
 * required variable, or a dispatch path that is neither `hooks/…` nor `actions/…`.
 */
export function readJujuContext(env: Readonly<Record<string, string | undefined>>): JujuContext {
  for (const name of REQUIRED_VARS) requireVar(env, name, 'every dispatch needs it');
  const dispatchPath = env.JUJU_DISPATCH_PATH as string;
  const m = /^(?:.*\/)?(hooks|actions)\/([^/]+)$/.exec(dispatchPath);
  if (!m) {
    throw new HookEnvironmentError(
      `JUJU_DISPATCH_PATH '${dispatchPath}' is neither hooks/<hook> nor actions/<action>`,
    );
  }
  const unitName = env.JUJU_UNIT_NAME as string;
  const slash = unitName.lastIndexOf('/');
  if (slash <= 0)
    throw new HookEnvironmentError(`JUJU_UNIT_NAME '${unitName}' is not <app>/<number>`);
  return Object.freeze({
    dispatchPath,
    hookName: m[2] as string,
    isAction: m[1] === 'actions',
    unitName,
    appName: unitName.slice(0, slash),
    modelName: env.JUJU_MODEL_NAME as string,
    modelUuid: env.JUJU_MODEL_UUID as string,
    version: parseJujuVersion(env.JUJU_VERSION),
    charmDir: env.JUJU_CHARM_DIR ?? env.CHARM_DIR,
    env: Object.freeze({ ...env }),
  });
}
