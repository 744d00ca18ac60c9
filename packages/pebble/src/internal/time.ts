/**
 * Small helpers shared by the API areas: timestamps, abortable sleeps.
 * @module
 */

/** Parses an RFC3339 timestamp (Go may write nanoseconds; Date keeps milliseconds). */
export function parseTime(text: unknown): Date | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Milliseconds as a Go duration string Pebble's `timeout` parameters accept, e.g. `"1500ms"`. */
export function msToGoDuration(ms: number): string {
  return `${Math.max(1, Math.ceil(ms))}ms`;
}
