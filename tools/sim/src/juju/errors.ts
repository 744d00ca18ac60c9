/**
 * The juju front's errors: Juju prints `ERROR <message>` and exits 2 when the command line is
 * wrong (an unknown command or flag, missing arguments, what charm-sim does not support) and 1
 * when the command fails.
 * @module
 */

const brand = Symbol.for('charm-ts.sim.juju-error');

/** A failed juju command: its message (printed after `ERROR `) and exit code. */
export class JujuError extends Error {
  /** 2 for a wrong command line or an unsupported command or flag, 1 for a failure. */
  readonly exitCode: 1 | 2;
  readonly [brand] = true;

  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'JujuError';
    this.exitCode = exitCode;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/** A command line that is wrong: exit 2. */
export function usageError(message: string): JujuError {
  return new JujuError(message, 2);
}

/** What charm-sim does not do, named: exit 2, never a silent success. */
export function unsupported(what: string, instead?: string): JujuError {
  return new JujuError(
    `charm-sim's juju does not support ${what}${instead ? `: ${instead}` : ''}`,
    2,
  );
}
