/**
 * `JujuError`: a hook tool's failure as Juju reports it: the message (printed as
 * `ERROR <message>` on stderr) and the exit code: 2 for a usage error (a bad flag or argument,
 * a relation id that is not one of the unit's), 1 for a refusal while running.
 * @module
 */

const brand = Symbol.for('charm-ts.juju-model.error');

/** A hook tool's failure: Juju's message and exit code. */
export class JujuError extends Error {
  /** 2 for usage errors, 1 for run errors. */
  readonly exitCode: 1 | 2;
  readonly [brand] = true;

  constructor(exitCode: 1 | 2, message: string) {
    super(message);
    this.name = 'JujuError';
    this.exitCode = exitCode;
  }

  // Two bundled copies of this package still recognise each other's errors.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/** A usage error (exit 2): a bad flag, argument or relation id. */
export function usageError(message: string): JujuError {
  return new JujuError(2, message);
}

/** A refusal while running (exit 1): permission, leadership, not found. */
export function runError(message: string): JujuError {
  return new JujuError(1, message);
}

/** Juju's text for a refusal by the controller (`apiservererrors.ErrPerm`). */
export const PERMISSION_DENIED = 'permission denied';

/** Juju's text when a unit does what only the leader may (`ErrIsNotLeader`). */
export const NOT_LEADER = 'this unit is not the leader';

/** Juju's text when an application that is not trusted asks for its credential. */
export const CREDENTIAL_DENIED = 'cannot access cloud credentials: permission denied';

/** Juju's text for a resource the charm does not declare. */
export function resourceNotFound(app: string, name: string): string {
  return `could not download resource: resource#${app}/${name} not found`;
}
