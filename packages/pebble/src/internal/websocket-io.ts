/**
 * Exec I/O over Pebble's task websockets: connect with a deadline, turn received binary
 * frames into a Readable, send a source (or a Writable's data) as binary frames. A text frame
 * `{"command":"end"}` ends a stream in either direction.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';
import type { Dispatcher, WebSocket } from 'undici';
import { loadUndici } from './requester.ts';

const endMessage = JSON.stringify({ command: 'end' });
/** Above this many queued bytes, a sender waits for the socket to drain. */
const highWaterBytes = 1024 * 1024;

/** The websocket connections of one exec'd process, and how to tear them down. */
export interface ExecConnections {
  /** An undici Agent on the daemon's socket whose connections are tracked. */
  dispatcher: Dispatcher;
  /** Destroys every connection this dispatcher opened (after a close frame had its chance). */
  destroy(): void;
}

/**
 * An Agent for one process's websockets. Once a process has exited Pebble stops reading its
 * stdio and stderr sockets, so a close handshake never completes and an upgraded connection
 * would keep the caller's process alive indefinitely; upgraded sockets leave the Agent's pool,
 * so closing the Agent cannot release them. Tracking them here lets the handle destroy them.
 */
export async function execConnections(socketPath: string): Promise<ExecConnections> {
  const { Agent } = await loadUndici();
  const sockets = new Set<Socket>();
  const dispatcher = new Agent({
    connect: (_options, callback) => {
      const socket = connect(socketPath);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      let answered = false;
      socket.once('connect', () => {
        answered = true;
        callback(null, socket);
      });
      socket.once('error', (error) => {
        if (answered) return;
        answered = true;
        callback(error, null);
      });
    },
  });
  return {
    dispatcher,
    destroy() {
      // One turn of the loop lets queued close frames reach the socket first.
      setImmediate(() => {
        for (const socket of sockets) socket.destroy();
        void dispatcher.destroy().catch(() => {});
      });
    },
  };
}

/**
 * Starts opening `ws://localhost<path>` through `dispatcher`. Listeners attached right after
 * this returns see every message (events are dispatched asynchronously).
 */
export async function openSocket(path: string, dispatcher: Dispatcher): Promise<WebSocket> {
  const { WebSocket } = await loadUndici();
  const ws = new WebSocket(`ws://localhost${path}`, { dispatcher });
  ws.binaryType = 'arraybuffer';
  return ws;
}

/**
 * Resolves once `ws` is open. Rejects (and closes the socket) when it does not open within
 * `timeoutMs`, fails to upgrade, or `signal` aborts.
 */
export function whenOpen(ws: WebSocket, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const url = ws.url;
  if (ws.readyState === ws.OPEN) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const fail = (reason: unknown): void => {
      cleanup();
      closeQuietly(ws);
      reject(reason);
    };
    const onOpen = (): void => {
      cleanup();
      resolve();
    };
    const onError = (event: Event): void => {
      const error = (event as Event & { error?: unknown }).error;
      fail(error instanceof Error ? error : new Error(`websocket ${url} failed to open`));
    };
    const onClose = (event: Event): void => {
      const code = (event as Event & { code?: number }).code;
      fail(new Error(`websocket ${url} closed before opening (code ${String(code)})`));
    };
    const onAbort = (): void => fail(signal?.reason);
    const timer = setTimeout(
      () => fail(new Error(`websocket ${url} did not open within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function cleanup(): void {
      clearTimeout(timer);
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('error', onError);
      ws.removeEventListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    }
    ws.addEventListener('open', onOpen);
    ws.addEventListener('error', onError);
    ws.addEventListener('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Closes a socket normally (code 1000), ignoring one that is already closing. */
export function closeQuietly(ws: WebSocket): void {
  try {
    if (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN) ws.close(1000);
  } catch {
    // Already closed or never opened: nothing to release.
  }
}

/** How a received stream ended: the `end` command, the socket closing first, or `finish()`. */
export type StreamEnd = 'end' | 'close' | 'finish';

/**
 * The data a socket receives, as a byte stream. It ends at the `end` command or when the
 * socket closes, whichever comes first, so a dropped connection never leaves a reader hanging.
 * `ended` resolves at that moment, saying how; `finish()` ends the stream early (idempotent).
 */
export function receiveStream(ws: WebSocket): {
  stream: Readable;
  ended: Promise<StreamEnd>;
  finish: () => void;
} {
  const stream = new Readable({ read() {} });
  let resolveEnded: (how: StreamEnd) => void = () => {};
  const ended = new Promise<StreamEnd>((resolve) => {
    resolveEnded = resolve;
  });
  let done = false;
  const end = (how: StreamEnd): void => {
    if (done) return;
    done = true;
    ws.removeEventListener('message', onMessage);
    ws.removeEventListener('close', onClose);
    stream.push(null);
    resolveEnded(how);
  };
  const onClose = (): void => end('close');
  const onMessage = (event: Event): void => {
    const data = (event as Event & { data: unknown }).data;
    if (typeof data === 'string') {
      if (isEndCommand(data)) end('end');
      return;
    }
    if (data instanceof ArrayBuffer) stream.push(Buffer.from(data));
  };
  ws.addEventListener('message', onMessage);
  ws.addEventListener('close', onClose);
  return { stream, ended, finish: () => end('finish') };
}

function isEndCommand(text: string): boolean {
  try {
    return (JSON.parse(text) as { command?: unknown }).command === 'end';
  } catch {
    return false;
  }
}

/** Sends one binary frame, waiting first while too much is queued. Throws once the socket closed. */
export async function sendBinary(ws: WebSocket, chunk: Uint8Array | string): Promise<void> {
  while (ws.readyState === ws.OPEN && ws.bufferedAmount > highWaterBytes) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (ws.readyState !== ws.OPEN) throw new Error('the stdin websocket is closed');
  ws.send(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
}

/** Sends the `end` command (stdin EOF). Does nothing on a closed socket. */
export function sendEnd(ws: WebSocket): void {
  if (ws.readyState === ws.OPEN) ws.send(endMessage);
}

/** Sends a JSON control message (`signal`, `resize`). */
export function sendControl(ws: WebSocket, message: unknown): void {
  if (ws.readyState !== ws.OPEN) throw new Error('the control websocket is closed');
  ws.send(JSON.stringify(message));
}

/** Streams `source` as stdin, then sends `end`. */
export async function sendSource(
  ws: WebSocket,
  source: string | Uint8Array | AsyncIterable<Uint8Array | string>,
): Promise<void> {
  try {
    if (typeof source === 'string' || source instanceof Uint8Array) {
      if (source.length > 0) await sendBinary(ws, source);
    } else {
      for await (const chunk of source) await sendBinary(ws, chunk);
    }
  } finally {
    sendEnd(ws);
  }
}

/** A Writable whose data goes out as binary frames; `end()` sends the `end` command. */
export function sendStream(ws: WebSocket): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sendBinary(ws, chunk).then(() => callback(), callback);
    },
    final(callback) {
      sendEnd(ws);
      callback();
    },
  });
}
