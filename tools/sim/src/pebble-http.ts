/**
 * The three Pebble calls the simulator itself makes (system-info, notices, a change), over the
 * container's UNIX socket. The charm talks to Pebble with its own client; this only watches.
 * @module
 */
import { request } from 'node:http';

/**
 * GETs `path` from the Pebble socket and returns the envelope's `result`.
 * Rejects when the socket does not answer, or Pebble answers with an error.
 */
export function pebbleGet(socketPath: string, path: string, timeoutMs = 2000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            type: string;
            result: unknown;
          };
          if (body.type === 'error') reject(new Error(JSON.stringify(body.result)));
          else resolve(body.result);
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`pebble at ${socketPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** A Pebble notice as the simulator needs it. */
export interface PebbleNotice {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  readonly 'last-repeated': string;
  readonly 'last-data'?: Record<string, string>;
}

/** Pebble's boot id, or undefined when the daemon does not answer. */
export async function bootId(socketPath: string): Promise<string | undefined> {
  try {
    const info = (await pebbleGet(socketPath, '/v1/system-info', 1000)) as { 'boot-id'?: string };
    return info['boot-id'];
  } catch {
    return undefined;
  }
}

/** Notices of the types Juju turns into events, repeated after `after` (RFC 3339). */
export async function listNotices(socketPath: string, after?: string): Promise<PebbleNotice[]> {
  const query = new URLSearchParams({ types: 'custom,change-update' });
  if (after) query.set('after', after);
  const notices = (await pebbleGet(socketPath, `/v1/notices?${query}`)) as PebbleNotice[] | null;
  return notices ?? [];
}
