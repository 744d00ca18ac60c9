/**
 * Errors thrown by @charm-ts/ops. Every class carries a stable `code` to branch on, and a
 * `Symbol.for` brand so `instanceof OpsError` holds across two bundled copies of this package.
 * @module
 */

const brand = Symbol.for('charm-ts.ops.error');

/** Base class of every error this package throws. */
export class OpsError extends Error {
  /** Stable machine-readable code, e.g. `OPS_MODEL`. */
  readonly code: string;
  readonly [brand] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  // `this` is the class `instanceof` was asked about: subclasses keep the prototype check.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the receiver is the class being tested
    if (this === OpsError) {
      return typeof value === 'object' && value !== null && brand in value;
    }
    // biome-ignore lint/complexity/noThisInStatic: the receiver is the class being tested
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** charmcraft.yaml is not valid: names the file, the key path and what would fix it. */
export class CharmcraftError extends OpsError {
  /** The file that was read. */
  readonly file: string;
  /** Dotted key path, e.g. `config.options.port.type`; empty for the whole document. */
  readonly keyPath: string;

  constructor(file: string, keyPath: string, problem: string) {
    super('OPS_CHARMCRAFT', `${file}: ${keyPath === '' ? '' : `${keyPath}: `}${problem}`);
    this.file = file;
    this.keyPath = keyPath;
  }
}

/** A hook tool exited non-zero (or could not be started). */
export class HookToolError extends OpsError {
  /** The argv that ran, tool name first. Never carries secret content (that goes via files). */
  readonly cmd: readonly string[];
  /** The exit code; -1 when the tool could not be started. */
  readonly exitCode: number;
  /** What the tool wrote on stderr, trimmed. */
  readonly stderr: string;

  constructor(
    cmd: readonly string[],
    exitCode: number,
    stderr: string,
    options?: { cause?: unknown },
  ) {
    super(
      'OPS_HOOK_TOOL',
      `${cmd[0] ?? 'hook tool'} failed (exit ${exitCode}): ${stderr || '(no stderr)'}`,
      options,
    );
    this.cmd = cmd;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Juju refused a model operation; the message is Juju's own text. */
export class ModelError extends OpsError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'OPS_MODEL', message, options);
  }
}

/** The relation does not exist (Juju: `relation not found`). */
export class RelationNotFoundError extends ModelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'OPS_RELATION_NOT_FOUND' });
  }
}

/** The secret does not exist or is not visible to this unit (Juju: `… not found`). */
export class SecretNotFoundError extends ModelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'OPS_SECRET_NOT_FOUND' });
  }
}

/** Relation data was read or written against Juju's rules; checked before any tool runs. */
export class RelationDataAccessError extends ModelError {
  constructor(message: string) {
    super(message, { code: 'OPS_RELATION_DATA_ACCESS' });
  }
}

/** A relation data value is not a string. */
export class RelationDataTypeError extends ModelError {
  constructor(message: string) {
    super(message, { code: 'OPS_RELATION_DATA_TYPE' });
  }
}

/**
 * A relation bag does not decode or does not match its schema (`Relation.load`), or a value to
 * save does not (`Relation.save`). The message names the relation, the bag and the key.
 */
export class RelationDataError extends ModelError {
  /** The bag, e.g. `relation ingress:3 remote-app bag (traefik)`. */
  readonly bag: string;
  /** The top-level key at fault ('' for the bag as a whole). */
  readonly key: string;

  constructor(message: string, bag: string, key: string) {
    super(message, { code: 'OPS_RELATION_DATA' });
    this.bag = bag;
    this.key = key;
  }
}

/** The running Juju (`JUJU_VERSION`) lacks what the charm asked for. */
export class JujuVersionError extends OpsError {
  constructor(message: string) {
    super('OPS_JUJU_VERSION', message);
  }
}

/** The hook environment is incomplete or inconsistent (a missing `JUJU_*` variable). */
export class HookEnvironmentError extends OpsError {
  constructor(message: string) {
    super('OPS_HOOK_ENVIRONMENT', message);
  }
}

/** `defer()` on an event Juju cannot defer, or other misuse of the framework. */
export class FrameworkError extends OpsError {
  constructor(message: string) {
    super('OPS_FRAMEWORK', message);
  }
}

/**
 * A config value is wrong. Thrown by the config accessor (or by charm code); the runtime turns it
 * into a `blocked` status naming the key instead of failing the hook.
 */
export class InvalidConfigError extends OpsError {
  /** The config option, e.g. `port`. */
  readonly key: string;

  constructor(key: string, problem: string) {
    super('OPS_INVALID_CONFIG', `invalid config option '${key}': ${problem}`);
    this.key = key;
  }
}
