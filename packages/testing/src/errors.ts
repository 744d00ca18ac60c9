/**
 * Errors of @charm-ts/testing.
 * @module
 */

/** The State (with the event) describes something Juju could never present to the charm. */
export class InconsistentStateError extends Error {
  readonly code = 'TESTING_INCONSISTENT_STATE';
  /** Dotted location of the offending input, e.g. `state.relations[0].endpoint`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InconsistentStateError';
    this.field = field;
  }
}

/** The charm threw: the dispatch would exit 1 and Juju would retry the hook. */
export class UncaughtCharmError extends Error {
  readonly code = 'TESTING_UNCAUGHT_CHARM_ERROR';

  constructor(event: string, cause: unknown) {
    super(
      `the charm failed on ${event}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'UncaughtCharmError';
  }
}
