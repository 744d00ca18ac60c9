/**
 * What the simulator itself asks a container's Pebble (system-info, notices, a change), through
 * @charm-ts/pebble. The charm talks to Pebble with its own client; this only watches.
 * @module
 */
import { type Change, type Notice, PebbleClient } from '@charm-ts/pebble';

/** Runs `fn` with a client of the socket that never retries, and closes it. */
async function withPebble<T>(socketPath: string, fn: (pebble: PebbleClient) => Promise<T>) {
  const pebble = new PebbleClient({ socketPath, retryMs: 0 });
  try {
    return await fn(pebble);
  } finally {
    await pebble.close();
  }
}

/** Pebble's boot id, or undefined when the daemon does not answer within a second. */
export async function bootId(socketPath: string): Promise<string | undefined> {
  try {
    return await withPebble(socketPath, async (pebble) => {
      const info = await pebble.getSystemInfo({ signal: AbortSignal.timeout(1000) });
      return info.bootId;
    });
  } catch {
    return undefined;
  }
}

/**
 * Notices of the types Juju turns into events, repeated after `after` (Pebble's raw RFC 3339
 * text, kept to the nanosecond). Throws what the client throws when Pebble does not answer.
 */
export function listNotices(socketPath: string, after?: string): Promise<Notice[]> {
  return withPebble(socketPath, (pebble) =>
    pebble.listNotices({
      types: ['custom', 'change-update'],
      ...(after ? { after } : {}),
      signal: AbortSignal.timeout(2000),
    }),
  );
}

/** The change a `change-update` notice names. Throws what the client throws. */
export function getChange(socketPath: string, changeId: string): Promise<Change> {
  return withPebble(socketPath, (pebble) =>
    pebble.getChange(changeId, { signal: AbortSignal.timeout(2000) }),
  );
}
