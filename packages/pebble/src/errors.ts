/**
 * Errors thrown by @charm-ts/pebble. Every class carries a stable `code` to branch on, and a
 * `Symbol.for` brand naming its class and its ancestors, so `instanceof` holds across two bundled
 * copies of this module: a packed charm has one in `pebble.cjs` (the client, which throws) and
 * one in `charm.cjs` (what `@charm-ts/ops` re-exports, from the `@charm-ts/pebble/errors` entry,
 * without loading the client).
 * @module
 */
import type { Change } from './types.ts';

const brand = Symbol.for('charm-ts.pebble.error');

/** Base class of every error this package throws. */
export class PebbleError extends Error {
  /** @internal The name `instanceof` checks this class by (stable under minification). */
  static readonly brandName: string = 'PebbleError';
  /** Stable machine-readable code, e.g. `PEBBLE_API`. */
  readonly code: string;
  /** @internal The `brandName`s of this error's class and its ancestors. */
  readonly [brand]: readonly string[];

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this[brand] = brandNames(new.target);
  }

  // `this` is the class `instanceof` was asked about. A class of this module answers by its
  // brand name; a subclass declared elsewhere (without a `brandName` of its own) by prototype.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` must be the class being tested.
    const cls = this as unknown as { brandName?: string } & (new (...args: never[]) => unknown);
    if (Object.hasOwn(cls, 'brandName')) {
      const names = (value as { [brand]?: unknown } | null)?.[brand];
      if (typeof value === 'object' && value !== null && Array.isArray(names))
        return names.includes(cls.brandName);
    }
    return Function.prototype[Symbol.hasInstance].call(cls, value);
  }
}

/** The own `brandName`s along a class's prototype chain, the class first. */
function brandNames(cls: unknown): string[] {
  const names: string[] = [];
  for (let c = cls as { brandName?: string } | null; c; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, 'brandName') && typeof c.brandName === 'string') names.push(c.brandName);
  }
  return names;
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
  /** @internal */
  static override readonly brandName: string = 'APIError';
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
  /** @internal */
  static override readonly brandName: string = 'NotSupportedError';
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
  /** @internal */
  static override readonly brandName: string = 'ConnectionError';
  /** The UNIX socket path that was dialled. */
  readonly socketPath: string;

  constructor(socketPath: string, message: string, options?: { cause?: unknown }) {
    super('PEBBLE_CONNECTION', message, options);
    this.socketPath = socketPath;
  }
}

/** A change finished in error; `change` holds its tasks and their logs. */
export class ChangeError extends PebbleError {
  /** @internal */
  static override readonly brandName: string = 'ChangeError';
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
  /** @internal */
  static override readonly brandName: string = 'ExecError';
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
  /** @internal */
  static override readonly brandName: string = 'TimeoutError';
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
  /** @internal */
  static override readonly brandName: string = 'PathError';
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
  /** @internal */
  static override readonly brandName: string = 'ProtocolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('PEBBLE_PROTOCOL', message, options);
  }
}

/** A layer or check definition Pebble would refuse, caught before sending it. */
export class LayerValidationError extends PebbleError {
  /** @internal */
  static override readonly brandName: string = 'LayerValidationError';
  /** Dotted location of the bad value, e.g. `services.redis.override`. */
  readonly key: string;

  constructor(key: string, message: string) {
    super('PEBBLE_LAYER_INVALID', `${key}: ${message}`);
    this.key = key;
  }
}
