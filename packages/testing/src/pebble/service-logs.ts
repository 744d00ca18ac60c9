/**
 * Service output, as `GET /v1/logs` serves it: every line with its service and time,
 * the last `n` (default 30; -1 all), and `follow` streaming new lines as they come.
 * @module
 */

import type { LogEntry, LogsOptions } from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';

/** Every service's output lines, oldest first. */
export class ServiceLogs {
  readonly #entries: LogEntry[] = [];
  readonly #listeners = new Set<() => void>();

  /** Records one line written by `service`. */
  write(service: string, message: string, time: Date): void {
    this.#entries.push({ time, service, message });
    for (const wake of this.#listeners) wake();
  }

  /** The last `n` lines of `service` (for a failed start's task log). */
  last(service: string, n: number): string[] {
    return this.#entries
      .filter((e) => e.service === service)
      .slice(-n)
      .map((e) => e.message);
  }

  /** Pebble's logs stream. Throws APIError 400 for a bad `n`. */
  async *read(options: LogsOptions = {}): AsyncGenerator<LogEntry> {
    const n = options.n ?? (options.follow ? 0 : 30);
    if (!Number.isInteger(n) || n < -1)
      throw new APIError(400, `n must be -1, 0, or a positive integer`);
    const wanted = (e: LogEntry): boolean =>
      options.services === undefined ||
      options.services.length === 0 ||
      options.services.includes(e.service);
    let seen = this.#entries.length;
    const matching = this.#entries.filter(wanted);
    const start = n === -1 ? 0 : Math.max(0, matching.length - n);
    for (const entry of matching.slice(start)) yield { ...entry };
    if (!options.follow) return;
    const signal = options.signal;
    for (;;) {
      // Lines written while the caller handled the last one are sent before waiting again.
      while (seen < this.#entries.length) {
        const entry = this.#entries[seen++] as LogEntry;
        if (wanted(entry)) yield { ...entry };
      }
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#listeners.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.#listeners.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }
}
