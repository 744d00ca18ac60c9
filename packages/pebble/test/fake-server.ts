/**
 * Test helper: a tiny HTTP server on a UNIX socket that answers like Pebble, for the shapes a
 * real daemon cannot produce (older daemons, 504 loops, maintenance). Each route returns an
 * envelope or writes the response itself; every request is recorded.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Requester } from '../src/internal/requester.ts';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

export type Handler = (
  request: Recorded,
  response: ServerResponse,
) =>
  | { status?: number; body: unknown }
  | undefined
  | Promise<{ status?: number; body: unknown } | undefined>;

export interface FakePebble {
  socketPath: string;
  requests: Recorded[];
  rq: Requester;
  close(): Promise<void>;
}

/** A sync envelope as Pebble writes it. */
export function sync(result: unknown, extra: Record<string, unknown> = {}) {
  return {
    status: 200,
    body: { type: 'sync', 'status-code': 200, status: 'OK', result, ...extra },
  };
}

/** An async envelope with a change id. */
export function async(change: string) {
  return {
    status: 202,
    body: { type: 'async', 'status-code': 202, status: 'Accepted', change, result: null },
  };
}

/** An error envelope. */
export function error(status: number, message: string, kind?: string) {
  return {
    status,
    body: { type: 'error', 'status-code': status, status: 'Error', result: { message, kind } },
  };
}

/** Starts a fake on a fresh socket; routes are keyed `"GET /v1/changes/1/wait"` (no query). */
export async function startFake(routes: Record<string, Handler>): Promise<FakePebble> {
  const dir = await mkdtemp(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'pf-'));
  const socketPath = join(dir, 'fake.socket');
  const requests: Recorded[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    const handler = routes[`${recorded.method} ${recorded.path}`];
    const answer = handler
      ? await handler(recorded, res)
      : error(404, 'invalid API endpoint requested');
    if (answer && !res.writableEnded) {
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    }
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const rq = new Requester({ socketPath, retryMs: 0 });
  return {
    socketPath,
    requests,
    rq,
    close: async () => {
      await rq.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
