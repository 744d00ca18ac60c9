/**
 * The two questions the charm asks the running Grafana, over its HTTP API on localhost (the
 * charm and Grafana share the pod's network): is it up (`/api/health` says the database is
 * ok), and does the admin password still work (`/api/org` with basic auth).
 * @module
 */
import { request } from 'node:http';

/** What a GET answered. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** GETs `url` (at most 64 KiB of answer, `timeoutMs` in all). Rejects on any network error. */
export function httpGet(
  url: string,
  options: { auth?: { user: string; password: string }; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.auth) {
      const token = Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64');
      headers.authorization = `Basic ${token}`;
    }
    const req = request(url, { headers, timeout: options.timeoutMs ?? 2000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 65536) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${new URL(url).origin} in time`)),
    );
    req.on('error', reject);
    req.end();
  });
}

/** True when Grafana answers `/api/health` with `"database": "ok"`. */
export async function grafanaIsReady(port: number): Promise<boolean> {
  try {
    const { status, body } = await httpGet(`http://localhost:${port}/api/health`);
    return status === 200 && (JSON.parse(body) as { database?: unknown }).database === 'ok';
  } catch {
    return false;
  }
}

/**
 * Whether Grafana refuses `user:password` (401 on `/api/org`): an administrator changed the
 * password. Throws when Grafana gives any other answer or none.
 */
export async function passwordRefused(
  port: number,
  user: string,
  password: string,
): Promise<boolean> {
  const { status } = await httpGet(`http://localhost:${port}/api/org`, {
    auth: { user, password },
  });
  if (status === 200) return false;
  if (status === 401) return true;
  throw new Error(`Grafana answered /api/org with HTTP ${status}`);
}
