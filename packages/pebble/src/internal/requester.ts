/**
 * The one request path: every API method goes through `Requester.request`, and only this
 * module knows Pebble's envelope (`type`, `status-code`, `result`, `change`, `maintenance`,
 * `latest-warning`). undici is loaded on first use, so merely importing the client costs
 * nothing at a charm's start-up, and then only its Agent and request API: all of undici (fetch,
 * WebSocket, caches, mocks) costs a hook about 45 ms more to initialise (see bench/dispatch);
 * only exec's WebSocket loads it.
 * @module
 */
/// <reference path="./undici-parts.d.ts" />
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import {
  APIError,
  ConnectionError,
  NotSupportedError,
  ProtocolError,
  TimeoutError,
} from '../errors.ts';
import type { Maintenance } from '../types.ts';

export type Query = Record<string, string | readonly string[] | number | boolean | undefined>;

export interface RequestSpec {
  /** `sync`/`async` parse the JSON envelope; `raw` hands back the response untouched. */
  type: 'sync' | 'async' | 'raw';
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  /** A JSON value (sent as application/json) unless `rawBody` is set. */
  body?: unknown;
  /** A body sent as it is, with `headers` giving its content type. */
  rawBody?: string | Uint8Array | Readable | AsyncIterable<Uint8Array>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for response headers (long-polls need more). Default 60 s. */
  headersTimeoutMs?: number;
  /** Milliseconds of silence allowed in the body; 0 disables (streams). Default 60 s. */
  bodyTimeoutMs?: number;
  /** Do not retry connection errors, even for a GET (used by `canConnect`). */
  noRetry?: boolean;
}

export interface SyncResponse {
  status: number;
  result: unknown;
}

export interface AsyncResponse {
  changeId: string;
  result: unknown;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

type Undici = typeof import('undici');
let undiciModule: Promise<Undici> | undefined;

/** Loads all of undici once, on first use (exec needs its WebSocket). */
export function loadUndici(): Promise<Undici> {
  undiciModule ??= import('undici');
  return undiciModule;
}

/** undici's Agent and its request function (called with the Agent as `this`). */
interface HttpParts {
  Agent: Undici['Agent'];
  request: (
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ) => Promise<Dispatcher.ResponseData>;
}
let httpParts: Promise<HttpParts> | undefined;

/**
 * Loads only undici's Agent and request API (the modules undici's own `request` export wraps),
 * once. Deep paths, because undici's index initialises every other part too.
 */
export function loadHttp(): Promise<HttpParts> {
  httpParts ??= Promise.all([
    import('undici/lib/dispatcher/agent.js'),
    import('undici/lib/api/api-request.js'),
  ]).then(([agent, request]) => ({ Agent: agent.default, request: request.default }));
  return httpParts;
}

const connectionCodes = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTSOCK',
  'EACCES',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && connectionCodes.has(code)) return code;
  }
  return undefined;
}

/** True when `error` (or a cause) is a socket failure: missing, refused, reset or closed. */
export function isConnectionFailure(error: unknown): boolean {
  return errorCode(error) !== undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Builds `path?query` with repeated keys joined by commas, as Pebble accepts them. */
export function buildPath(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.append(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequesterOptions {
  socketPath: string;
  /** How long GETs keep retrying connection errors, in milliseconds. */
  retryMs: number;
  userAgent?: string;
}

/** Sends requests to one Pebble socket and reads its envelope. */
export class Requester {
  readonly socketPath: string;
  /** The last `maintenance` Pebble reported; cleared when a response carries none. */
  maintenance: Maintenance | undefined;
  /** The last `latest-warning` time Pebble reported. */
  latestWarning: Date | undefined;
  readonly #retryMs: number;
  #dispatcher: Dispatcher | undefined;

  constructor(options: RequesterOptions) {
    this.socketPath = options.socketPath;
    this.#retryMs = options.retryMs;
  }

  /** The undici Agent bound to the socket (an Agent, so a long-poll never blocks other calls). */
  async dispatcher(): Promise<Dispatcher> {
    if (!this.#dispatcher) {
      const { Agent } = await loadHttp();
      this.#dispatcher = new Agent({ connect: { socketPath: this.socketPath } });
    }
    return this.#dispatcher;
  }

  /** Closes idle connections; later requests open new ones. */
  async close(): Promise<void> {
    const dispatcher = this.#dispatcher;
    this.#dispatcher = undefined;
    await dispatcher?.close();
  }

  /** Sends a request and returns the raw response (status, headers, body stream). */
  async raw(spec: RequestSpec): Promise<RawResponse> {
    const { request } = await loadHttp();
    const dispatcher = await this.dispatcher();
    const path = buildPath(spec.path, spec.query);
    const headers: Record<string, string> = { ...spec.headers };
    let body: Dispatcher.DispatchOptions['body'];
    if (spec.rawBody !== undefined) {
      body = spec.rawBody as Dispatcher.DispatchOptions['body'];
    } else if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json';
    }
    const deadline = Date.now() + (spec.method === 'GET' && !spec.noRetry ? this.#retryMs : 0);
    for (;;) {
      try {
        const response = await request.call(dispatcher, {
          origin: 'http://localhost',
          path,
          method: spec.method,
          headers,
          body,
          signal: spec.signal,
          headersTimeout: spec.headersTimeoutMs ?? 60_000,
          bodyTimeout: spec.bodyTimeoutMs ?? 60_000,
        });
        return {
          status: response.statusCode,
          headers: response.headers,
          body: response.body as unknown as Readable,
        };
      } catch (error) {
        if (spec.signal?.aborted) throw spec.signal.reason;
        const code = errorCode(error);
        if (code === undefined) {
          const undiciCode = (error as { code?: string }).code;
          if (undiciCode === 'UND_ERR_HEADERS_TIMEOUT' || undiciCode === 'UND_ERR_BODY_TIMEOUT') {
            throw new TimeoutError(
              `cannot ${spec.method} ${spec.path}: Pebble did not answer in time`,
              { cause: error },
            );
          }
          throw error;
        }
        // Only idempotent reads retry, and only for a short bounded time.
        if (spec.method === 'GET' && Date.now() + 100 < deadline) {
          await sleep(100, spec.signal);
          continue;
        }
        throw new ConnectionError(
          this.socketPath,
          `cannot ${spec.method} ${spec.path}: ${describe(code)} at ${this.socketPath}`,
          { cause: error },
        );
      }
    }
  }

  /** Sends a request whose answer is a sync envelope; returns its result. */
  async sync(spec: Omit<RequestSpec, 'type'>): Promise<SyncResponse> {
    const envelope = await this.#envelope({ ...spec, type: 'sync' });
    return { status: envelope.status, result: envelope.result };
  }

  /** Sends a request whose answer is an async envelope; returns its change id. */
  async async(spec: Omit<RequestSpec, 'type'>): Promise<AsyncResponse> {
    const envelope = await this.#envelope({ ...spec, type: 'async' });
    return { changeId: envelope.change as string, result: envelope.result };
  }

  async #envelope(spec: RequestSpec): Promise<Omit<Envelope, 'status'> & { status: number }> {
    const response = await this.raw(spec);
    let text: string;
    try {
      text = await readText(response.body);
    } catch (error) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      throw new ConnectionError(
        this.socketPath,
        `cannot ${spec.method} ${spec.path}: connection lost while reading the answer from ${this.socketPath}`,
        { cause: error },
      );
    }
    const envelope = parseEnvelope(text, response.status, spec);
    this.#record(envelope);
    if (envelope.type === 'error') {
      const result = (envelope.result ?? {}) as {
        message?: string;
        kind?: string;
        value?: unknown;
      };
      const message = result.message ?? `HTTP ${response.status}`;
      if (response.status === 404 && message === 'invalid API endpoint requested') {
        throw new NotSupportedError(`${spec.method} ${spec.path}`, message);
      }
      throw new APIError(response.status, message, result.kind, result.value);
    }
    if (envelope.type !== spec.type) {
      throw new ProtocolError(
        `cannot ${spec.method} ${spec.path}: expected a ${spec.type} answer, Pebble sent ${envelope.type}`,
      );
    }
    if (spec.type === 'async' && typeof envelope.change !== 'string') {
      throw new ProtocolError(
        `cannot ${spec.method} ${spec.path}: async answer without a change id`,
      );
    }
    return { ...envelope, status: response.status };
  }

  #record(envelope: Envelope): void {
    this.maintenance = envelope.maintenance;
    if (envelope['latest-warning']) this.latestWarning = new Date(envelope['latest-warning']);
  }
}

interface Envelope {
  type: 'sync' | 'async' | 'error';
  'status-code'?: number;
  status?: string;
  result?: unknown;
  change?: string;
  'latest-warning'?: string;
  maintenance?: Maintenance;
}

function parseEnvelope(text: string, status: number, spec: RequestSpec): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProtocolError(
      `cannot ${spec.method} ${spec.path}: Pebble answered HTTP ${status} with non-JSON: ${text.slice(0, 200)}`,
      { cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || !('type' in value)) {
    throw new ProtocolError(`cannot ${spec.method} ${spec.path}: answer has no envelope type`);
  }
  return value as Envelope;
}

/** Reads a whole (small) body as UTF-8. */
export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

function describe(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no socket (is Pebble running, and is the path right?)';
    case 'ECONNREFUSED':
      return 'connection refused (Pebble is not listening)';
    case 'EACCES':
      return 'permission denied on the socket';
    default:
      return `connection failed (${code})`;
  }
}
