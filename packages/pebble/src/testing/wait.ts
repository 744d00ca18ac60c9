/**
 * Waiting in tests on the condition itself, never on a sleep: poll a probe (a check up, a port
 * accepting, a file written, an event recorded) until it holds, up to a deadline generous
 * enough for a loaded machine, then fail with an error naming what never happened and the
 * last thing seen. The deadline is a bound, not a timing claim: a test never asserts on it.
 *
 * It lives in @charm-ts/pebble, the package every other one depends on, so the Pebble
 * contract suite, @charm-ts/testing, the simulator, the packer and the charms' end-to-end
 * tests share it; it has no Pebble dependency of its own.
 * @module
 */
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** How long a wait lasts when the caller does not say: ample for a test on 2 busy cores. */
export const DEFAULT_WAIT_MS = 30_000;

/** Options of `waitUntil` and the waits built on it. */
export interface WaitOptions {
  /** Optional: how long to wait in all, in milliseconds. Default `DEFAULT_WAIT_MS`. */
  timeoutMs?: number;
  /** Optional: the pause between two probes, in milliseconds. Default 50. */
  intervalMs?: number;
  /** Optional: describes the last state seen, for the error (called once, on timeout). */
  lastSeen?: () => string;
}

/** A condition that did not hold before its deadline. `what` names the condition. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  readonly what: string;
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number, detail: string) {
    super(`gave up after ${seconds(timeoutMs)} waiting for ${what}${detail}`);
    this.what = what;
    this.timeoutMs = timeoutMs;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function describeLastSeen(lastSeen: () => string): string {
  try {
    return lastSeen();
  } catch (error) {
    return `(unreadable: ${describeError(error)})`;
  }
}

/**
 * Calls `probe` until it returns something other than `undefined` or `false`, and returns
 * that. A probe that throws has not succeeded yet: it is called again, and its last error is
 * quoted if the deadline passes. The deadline is measured on a monotonic clock.
 * @param what what is awaited, as the error will read: "gave up after 30 s waiting for <what>".
 * @throws WaitTimeoutError once `timeoutMs` passed without success.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<Exclude<T, undefined | false>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  let failed = false;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
      failed = false;
    } catch (error) {
      lastError = error;
      failed = true;
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      let detail = failed ? `; last error: ${describeError(lastError)}` : '';
      if (options.lastSeen) detail += `; last seen: ${describeLastSeen(options.lastSeen)}`;
      throw new WaitTimeoutError(what, timeoutMs, detail);
    }
    await delay(Math.min(intervalMs, left));
  }
}

/** Resolves once a TCP connection to `host:port` opens (and closes it); rejects on an error. */
function tryConnect(host: string, port: number, timeoutMs: number): Promise<true> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy(new Error(`no answer within ${seconds(timeoutMs)}`));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', reject);
  });
}

/**
 * Waits until `host:port` accepts a TCP connection: a workload is listening, not just started.
 * @throws WaitTimeoutError naming the address and the last connection error.
 */
export async function waitForPort(
  host: string,
  port: number,
  options: WaitOptions & { what?: string } = {},
): Promise<void> {
  await waitUntil(
    options.what ?? `${host}:${port} to accept a TCP connection`,
    () => tryConnect(host, port, Math.min(2000, options.timeoutMs ?? DEFAULT_WAIT_MS)),
    options,
  );
}
