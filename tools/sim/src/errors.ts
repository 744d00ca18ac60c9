/**
 * Errors thrown by @charm-ts/sim. Each has a stable `code` and a one-line message that names
 * the thing at fault and what would fix it; the CLI prints `ERROR <message>` and exits 1.
 * @module
 */

const brand = Symbol.for('charm-ts.sim.error');

/** Stable codes of {@link SimError}. */
export type SimErrorCode =
  | 'UNKNOWN_APP'
  | 'UNKNOWN_UNIT'
  | 'UNKNOWN_ACTION'
  | 'UNKNOWN_KEY'
  | 'UNKNOWN_ENDPOINT'
  | 'UNKNOWN_RELATION'
  | 'BAD_CONFIG_VALUE'
  | 'BAD_ACTION_PARAMS'
  | 'BAD_ARGUMENT'
  | 'BAD_CHARM'
  | 'APP_EXISTS'
  | 'RELATION_EXISTS'
  | 'MISSING_BINARY'
  | 'HOOK_TIMEOUT'
  | 'HOOK_FAILED'
  | 'UNIT_IN_ERROR'
  | 'NOT_IN_ERROR'
  | 'STATE_LOCKED'
  | 'STATE_CORRUPT'
  | 'STATE_UNSAFE'
  | 'POD_FAILED'
  | 'ACTION_FAILED'
  /** The model was destroyed while the command ran. */
  | 'MODEL_DESTROYED';

/** Base class of every error the simulator throws. */
export class SimError extends Error {
  /** Stable machine-readable code. */
  readonly code: SimErrorCode;
  readonly [brand] = true;

  constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimError';
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/** The install command for each external binary the simulator needs. */
export const INSTALL_HINTS: Record<string, string> = {
  bwrap: 'apt-get install -y bubblewrap',
  pebble: 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1 (or set PEBBLE_BIN)',
  ip: 'apt-get install -y iproute2',
  nsenter: 'apt-get install -y util-linux',
  unshare: 'apt-get install -y util-linux',
};

/** A binary is missing: the message carries the command that installs it. */
export function missingBinary(name: string): SimError {
  const hint = INSTALL_HINTS[name] ?? `install ${name}`;
  return new SimError('MISSING_BINARY', `${name} not found on PATH: install it with: ${hint}`);
}
