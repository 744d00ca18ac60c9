/**
 * A local HTTP server for tests: fixed answers by path, a path that never answers (for
 * timeouts), and a log of the paths asked for.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One answer: a body (200, `application/octet-stream`), or a status, body and content type
 * (`''` sends none), or `'hang'` to never answer.
 */
export type Answer =
  | string
  | Buffer
  | { status: number; body?: string | Buffer; type?: string }
  | 'hang';

/** A running fixture server. */
export interface FixtureServer {
  /** `http://<host>:<port>`. */
  readonly url: string;
  /** Answers by path (query strings ignored); change them between requests. */
  readonly routes: Map<string, Answer>;
  /** Every path requested, with its query string. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts a server on `host` (default 127.0.0.1) and a free port. */
export async function startFixtureServer(host = '127.0.0.1'): Promise<FixtureServer> {
  const routes = new Map<string, Answer>();
  const requests: string[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const answer = routes.get((req.url ?? '').split('?')[0] ?? '');
    if (answer === 'hang') {
      hanging.add(res);
      return;
    }
    if (answer === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const { status, body, type } =
      typeof answer === 'string' || Buffer.isBuffer(answer)
        ? { status: 200, body: answer, type: undefined }
        : answer;
    const mediaType = type ?? 'application/octet-stream';
    res.writeHead(status, mediaType ? { 'content-type': mediaType } : {}).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
