/**
 * An exec whose stdio websocket drops while the daemon stays up (a real daemon cannot be made
 * to do that): a fake Pebble that speaks just enough websocket. `wait()` must reject at once
 * with ConnectionError, the process must be killed, and stdout must end.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError } from './errors.ts';
import { exec } from './exec.ts';
import { Requester } from './internal/requester.ts';
import { waitUntil } from './testing/wait.ts';

const wsGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked server frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  if (payload.length >= 126) throw new Error('test frames are small');
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

/** The text payloads of masked client frames in `data` (small frames only). */
function clientTexts(data: Buffer): string[] {
  const texts: string[] = [];
  for (let at = 0; at + 6 <= data.length; ) {
    const opcode = (data[at] ?? 0) & 0x0f;
    const length = (data[at + 1] ?? 0) & 0x7f;
    const mask = data.subarray(at + 2, at + 6);
    const payload = Buffer.from(data.subarray(at + 6, at + 6 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    if (opcode === 1) texts.push(payload.toString());
    at += 6 + length;
  }
  return texts;
}

describe('exec when a websocket drops', () => {
  let server: Server | undefined;
  let dir: string | undefined;
  const upgraded: Socket[] = [];
  afterEach(async () => {
    for (const socket of upgraded) socket.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('rejects wait() with ConnectionError, kills the process and ends stdout', async () => {
    dir = await mkdtemp('/tmp/pd-');
    const socketPath = join(dir, 'fake.socket');
    const control: Buffer[] = [];
    server = createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/v1/exec') {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            type: 'async',
            'status-code': 202,
            change: '7',
            result: { 'task-id': '8' },
          }),
        );
      }
      // Anything else (the change wait) never answers: only the drop can end wait().
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      upgraded.push(socket);
      const accept = createHash('sha1')
        .update(`${req.headers['sec-websocket-key']}${wsGuid}`)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      if (req.url?.endsWith('/control')) socket.on('data', (chunk: Buffer) => control.push(chunk));
      if (req.url?.endsWith('/stdio')) {
        socket.write(frame(2, Buffer.from('partial')));
        // No `end` command, no close frame: the connection just goes away.
        setTimeout(() => socket.destroy(), 100);
      }
    });
    await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
    const rq = new Requester({ socketPath, retryMs: 0 });
    try {
      const process = await exec(rq, ['sleep', '60']);
      let stdout = '';
      const reading = (async () => {
        for await (const chunk of process.stdout) stdout += String(chunk);
      })();
      const error = await process.wait().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toContain('stdio connection');
      await reading;
      expect(stdout).toBe('partial');
      const kill = JSON.stringify({ command: 'signal', signal: { name: 'SIGKILL' } });
      await waitUntil(
        'the client to send SIGKILL on the control socket',
        () => clientTexts(Buffer.concat(control)).includes(kill),
        { lastSeen: () => JSON.stringify(clientTexts(Buffer.concat(control))) },
      );
    } finally {
      await rq.close();
    }
  });
});
