/**
 * The agent socket: a UNIX socket served while a hook runs, answering hook-tool calls. The
 * bytes on it are hook-wire.ts's; the tools themselves see only a `ToolRequest` and give back
 * a `ToolResult`.
 * @module
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { SimError } from './errors.ts';
import {
  decodeRequest,
  encodeAnswer,
  MAX_MESSAGE_BYTES,
  WireError,
  type WireRequest,
} from './hook-wire.ts';
import type { ToolResult } from './tools/index.ts';

/** One hook-tool call as the executable sends it. */
export type ToolRequest = WireRequest;

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
    let size = 0;
    conn.on('data', (chunk: Buffer) => {
      if (size > MAX_MESSAGE_BYTES) return;
      size += chunk.length;
      if (size <= MAX_MESSAGE_BYTES) chunks.push(chunk);
      else conn.end(encodeAnswer({ code: 1, stdout: '', stderr: tooLarge }));
    });
    conn.on('error', () => {});
    conn.on('end', () => {
      if (size > MAX_MESSAGE_BYTES) return;
      let result: ToolResult;
      try {
        result = handle(decodeRequest(Buffer.concat(chunks)));
      } catch (error) {
        const what = error instanceof WireError ? 'bad request: ' : '';
        result = { code: 1, stdout: '', stderr: `ERROR ${what}${(error as Error).message}\n` };
      }
      conn.end(encodeAnswer(result));
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

const tooLarge = `ERROR bad request: over ${MAX_MESSAGE_BYTES >> 20} MiB\n`;
