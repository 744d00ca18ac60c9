/**
 * The agent socket: a UNIX socket served while a hook runs, answering hook-tool calls.
 * @module
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { SimError } from './errors.ts';
import type { ToolResult } from './tools/index.ts';

/** One hook-tool call as the executable sends it. */
export interface ToolRequest {
  readonly contextId: string | undefined;
  readonly command: string;
  readonly args: string[];
  readonly stdin: string | undefined;
}

/** A listening agent socket; `close()` stops it and removes the file. */
export interface AgentSocket {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Listens on `path` and answers each request with `handle`.
 * @throws SimError `BAD_ARGUMENT` when the path is too long for a UNIX socket.
 */
export async function serveAgentSocket(
  path: string,
  handle: (request: ToolRequest) => ToolResult,
): Promise<AgentSocket> {
  if (Buffer.byteLength(path) > 107) {
    throw new SimError(
      'BAD_ARGUMENT',
      `socket path ${path} is too long: use a shorter --state-dir`,
    );
  }
  rmSync(path, { force: true });
  const server: Server = createServer({ allowHalfOpen: true }, (conn) => {
    const chunks: Buffer[] = [];
    conn.on('data', (chunk) => chunks.push(chunk));
    conn.on('error', () => {});
    conn.on('end', () => {
      let result: ToolResult;
      try {
        result = handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ToolRequest);
      } catch (error) {
        result = { code: 1, stdout: '', stderr: `ERROR ${(error as Error).message}\n` };
      }
      conn.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(path, { force: true });
          resolve();
        });
      }),
  };
}
