/**
 * Errors thrown by @charm-ts/pebble. Every class carries a stable `code` to branch on, and a
 * `Symbol.for` brand so `instanceof` holds across two bundled copies of this package.
 * @module
 */
import type { Change } from './types.ts';

const brand = Symbol.for('charm-ts.pebble.error');

/** Base class of every error this package throws. */
export class PebbleError extends Error {
  /** Stable machine-readable code, e.g. `PEBBLE_API`. */
  readonly code: string;
  readonly [brand] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  // `this` is the class `instanceof` was asked about: the brand answers only for the base class.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` must be the subclass being tested.
    if (this === PebbleError) {
      return typeof value === 'object' && value !== null && brand in value;
    }
    // biome-ignore lint/complexity/noThisInStatic: `this` must be the subclass being tested.
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** The kinds Pebble puts in an error response's `result.kind`; other strings pass through. */
export type APIErrorKind =
  | 'login-required'
  | 'no-default-services'
  | 'not-found'
  | 'permission-denied'
  | 'generic-file-error'
  | 'system-restart'
  | 'daemon-restart'
  | (string & {});

/** Pebble answered with an error envelope (`type: "error"`). */
export class APIError extends PebbleError {
  /** HTTP status code, e.g. 400. */
  readonly status: number;
  /** Pebble's error kind, when it gave one. */
  readonly kind: APIErrorKind | undefined;
  /** Pebble's `result.value`, when it gave one. */
  readonly value: unknown;

  constructor(
    status: number,
    message: string,
    kind?: string,
    value?: unknown,
    code = 'PEBBLE_API',
  ) {
    super(code, message);
    this.status = status;
    this.kind = kind;
    this.value = value;
  }
}

/** The endpoint does not exist on this (older) Pebble daemon. */
export class NotSupportedError extends APIError {
  /** What was asked for, e.g. `GET /v1/checks/refresh`. */
  readonly endpoint: string;

  constructor(endpoint: string, message: string) {
    super(
      404,
      `${endpoint} is not supported by this Pebble (${message}): upgrade Pebble or avoid this call`,
      'not-found',
      undefined,
      'PEBBLE_NOT_SUPPORTED',
    );
    this.endpoint = endpoint;
  }
}

/** The socket could not be reached: missing, refused, or the connection was reset. */
export class ConnectionError extends PebbleError {
  /** The UNIX socket path that was dialled. */
  readonly socketPath: string;

  constructor(socketPath: string, message: string, options?: { cause?: unknown }) {
    super('PEBBLE_CONNECTION', message, options);
    this.socketPath = socketPath;
  }
}

/** A change finished in error; `change` holds its tasks and their logs. */
export class ChangeError extends PebbleError {
  readonly change: Change;
  /** Pebble's `err` text for the change. */
  readonly err: string;

  constructor(change: Change) {
    // Each task's log (Pebble keeps its last 10 lines) under the task's summary, as ops does.
    const logs = change.tasks
      .filter((task) => task.log.length > 0)
      .map((task) => `\n----- ${task.summary} -----\n${task.log.join('\n')}`)
      .join('');
    super(
      'PEBBLE_CHANGE',
      `change ${change.id} (${change.kind}) failed: ${change.err ?? change.status}${logs}`,
    );
    this.change = change;
    this.err = change.err ?? '';
  }
}

/** An exec'd command exited non-zero; the captured output is attached. */
export class ExecError extends PebbleError {
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(command: readonly string[], exitCode: number, stdout: string, stderr: string) {
    super(
      'PEBBLE_EXEC',
      `command ${JSON.stringify(command)} exited with code ${exitCode}${stderr ? `: ${stderr.trim().split('\n').slice(-5).join('\n')}` : ''}`,
    );
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** An operation did not finish within its timeout. */
export class TimeoutError extends PebbleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PEBBLE_TIMEOUT', message, options);
  }
}

/** The per-path error kinds of the files API. */
export type PathErrorKind =
  | 'not-found'
  | 'permission-denied'
  | 'generic-file-error'
  | (string & {});

/** A files-API operation failed for one path. */
export class PathError extends PebbleError {
  readonly path: string;
  readonly kind: PathErrorKind;

  constructor(path: string, kind: PathErrorKind, message: string) {
    super('PEBBLE_PATH', `${path}: ${message} (${kind})`);
    this.path = path;
    this.kind = kind;
  }
}

/** The daemon sent something this client cannot read (bad JSON, a missing field). */
export class ProtocolError extends PebbleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PEBBLE_PROTOCOL', message, options);
  }
}

/** A layer or check definition Pebble would refuse, caught before sending it. */
export class LayerValidationError extends PebbleError {
  /** Dotted location of the bad value, e.g. `services.redis.override`. */
  readonly key: string;

  constructor(key: string, message: string) {
    super('PEBBLE_LAYER_INVALID', `${key}: ${message}`);
    this.key = key;
  }
}
