/**
 * Service logs as an async iterator over Pebble's ndjson stream (`GET /v1/logs`), read line by
 * line. Breaking out of the loop or aborting the signal closes the connection.
 * @module
 */
import { StringDecoder } from 'node:string_decoder';
import { ConnectionError, ProtocolError } from './errors.ts';
import { rawError } from './internal/raw-error.ts';
import { isConnectionFailure, type Requester, readText } from './internal/requester.ts';
import { parseTime } from './internal/time.ts';
import type { LogEntry, LogsOptions } from './types.ts';

interface LogWire {
  time?: string;
  service?: string;
  message?: string;
}

/** Converts one ndjson line of `/v1/logs`; a trailing newline of the message is dropped. */
export function toLogEntry(line: string): LogEntry {
  let wire: LogWire;
  try {
    wire = JSON.parse(line) as LogWire;
  } catch (error) {
    throw new ProtocolError(`cannot read logs: a line is not JSON: ${line.slice(0, 200)}`, {
      cause: error,
    });
  }
  return {
    time: parseTime(wire.time) ?? new Date(0),
    service: wire.service ?? '',
    message: (wire.message ?? '').replace(/\n$/, ''),
  };
}

/**
 * Reads service logs: the last `n` lines (Pebble's default 30), and with `follow` every new
 * line until the loop breaks or `signal` aborts. Only services running when the call starts
 * are followed (a Pebble limitation).
 * @throws APIError (400 for a bad `n`) when iteration starts; ConnectionError, also when the
 *   daemon goes away mid-stream; the signal's reason when it aborts.
 */
export async function* logs(rq: Requester, options: LogsOptions = {}): AsyncGenerator<LogEntry> {
  const { signal, follow = false } = options;
  const response = await rq.raw({
    type: 'raw',
    method: 'GET',
    path: '/v1/logs',
    query: {
      services: options.services?.length ? options.services : undefined,
      n: options.n,
      follow: follow ? 'true' : undefined,
    },
    signal,
    bodyTimeoutMs: follow ? 0 : 60_000,
  });
  const { body } = response;
  try {
    if (response.status !== 200) {
      throw rawError('GET /v1/logs', response.status, await readText(body));
    }
    const decoder = new StringDecoder('utf8');
    let pending = '';
    for await (const chunk of body) {
      pending += decoder.write(chunk as Buffer);
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') yield toLogEntry(line);
        newline = pending.indexOf('\n');
      }
    }
    pending += decoder.end();
    if (pending.trim() !== '') yield toLogEntry(pending);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (isConnectionFailure(error)) {
      throw new ConnectionError(
        rq.socketPath,
        `cannot read logs: the connection to ${rq.socketPath} was lost (did Pebble stop?)`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    body.destroy();
  }
}
