/**
 * `Logger`: the one logger of a dispatch, shared by the charm and its libraries
 * (`this.logger.info(…)`), writing to Juju's log (`juju-log`).
 *
 * Why lines are batched: every `juju-log` is a process (a `jujuc` round trip to the unit agent,
 * serialised per agent), a few milliseconds each; Python ops spends one per log record, its own
 * debug lines included. Here lines are kept in memory and sent together: consecutive lines of
 * one level become one `juju-log` message (lines joined by newlines, as a multi-line traceback
 * is), so a hook that logs ten lines spawns one tool, and a hook that logs nothing spawns none.
 * Routing lines to stdout/stderr instead (Juju records a hook's stdout at DEBUG and stderr at
 * WARNING) was rejected: it loses the level, and an action's output becomes its results.
 *
 * When lines go out: at the end of the dispatch (also when it fails, before the error); at once
 * for ERROR and CRITICAL (with the lines before them, in order), since they usually precede
 * trouble; and when the oldest buffered line is `maxAgeMs` old (1 s), so a hook that blocks
 * (waiting for a Pebble change) still shows its progress. A failing `juju-log` never fails the
 * hook: the lines go to stderr instead, so nothing is lost.
 * @module
 */
import type { LogLevel } from './hook-tools/types.ts';

/** One buffered line. */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

/** Where flushed lines go: `juju-log`, one call per run of lines of the same level. */
export type LogSink = (lines: readonly LogLine[]) => Promise<void>;

/** Options of the logger the runtime makes. */
export interface LoggerOptions {
  /** Optional: send buffered lines once the oldest is this old. Default 1000 ms. */
  maxAgeMs?: number;
}

const URGENT: ReadonlySet<LogLevel> = new Set(['ERROR', 'CRITICAL']);

/** The dispatch's logger. Methods never throw and never wait. */
export class Logger {
  readonly #sink: LogSink;
  readonly #maxAgeMs: number;
  #lines: LogLine[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sending: Promise<void> = Promise.resolve();

  /** @internal The runtime makes the one logger of a dispatch. */
  constructor(sink: LogSink, options: LoggerOptions = {}) {
    this.#sink = sink;
    this.#maxAgeMs = options.maxAgeMs ?? 1000;
  }

  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warning(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
  critical(message: string): void {
    this.log('CRITICAL', message);
  }

  /** Buffers a line at `level`; ERROR and CRITICAL send the buffer at once. */
  log(level: LogLevel, message: string): void {
    this.#lines.push({ level, message: String(message) });
    if (URGENT.has(level)) {
      void this.flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#maxAgeMs);
      // Never keeps the hook's process alive: the end of the dispatch flushes anyway.
      this.#timer.unref?.();
    }
  }

  /** Sends what is buffered; resolves once every line so far has gone out. Never rejects. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const lines = this.#lines;
    this.#lines = [];
    if (lines.length > 0) {
      this.#sending = this.#sending.then(() =>
        this.#sink(lines).catch((err) => fallback(lines, err)),
      );
    }
    return this.#sending;
  }
}

/** `juju-log` failed: keep the lines, on stderr (Juju records a hook's stderr at WARNING). */
function fallback(lines: readonly LogLine[], err: unknown): void {
  const why = err instanceof Error ? err.message : String(err);
  const text = lines.map((l) => `${l.level} ${l.message}`).join('\n');
  process.stderr.write(`juju-log failed (${why}); the lines:\n${text}\n`);
}

/** Juju's limit for one argument (Linux MAX_ARG_STRLEN less the NUL), in bytes. */
export const JUJU_LOG_MAX_BYTES = 131_071;

/**
 * Groups `lines` into `juju-log` messages: consecutive lines of one level joined by newlines,
 * each message at most `maxBytes` of UTF-8 (a longer line is split, as ops splits it).
 */
export function batchLines(
  lines: readonly LogLine[],
  maxBytes = JUJU_LOG_MAX_BYTES,
): { level: LogLevel; message: string }[] {
  const out: { level: LogLevel; message: string; bytes: number }[] = [];
  for (const line of lines) {
    for (const piece of splitBytes(line.message, maxBytes)) {
      const bytes = Buffer.byteLength(piece);
      const last = out.at(-1);
      if (last && last.level === line.level && last.bytes + 1 + bytes <= maxBytes) {
        last.message += `\n${piece}`;
        last.bytes += 1 + bytes;
      } else {
        out.push({ level: line.level, message: piece, bytes });
      }
    }
  }
  return out.map(({ level, message }) => ({ level, message }));
}

function splitBytes(text: string, maxBytes: number): string[] {
  if (Buffer.byteLength(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += char;
    bytes += size;
  }
  pieces.push(piece);
  return pieces;
}
