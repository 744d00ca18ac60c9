/**
 * Files on the wire, against a fake Pebble: the request bytes push sends, and pull answers a
 * real daemon does not produce (the `response` part first, an error after the content, a body
 * cut short, a refused request).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { error, type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { APIError, ConnectionError, PathError, ProtocolError } from './errors.ts';
import { listFiles, makeDir, removePath } from './files.ts';
import { pull } from './files-pull.ts';
import { push } from './files-push.ts';
import { Requester } from './internal/requester.ts';

const boundary = 'fakeboundary0123456789abcdefghijklmnop';

function multipart(res: ServerResponse, parts: string[], close = true): undefined {
  res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  for (const part of parts) res.write(`--${boundary}\r\n${part}\r\n`);
  res.end(close ? `--${boundary}--\r\n` : '');
  return undefined;
}

const filePart = (path: string, content: string): string =>
  `Content-Disposition: form-data; name="files"; filename="${path}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}`;

const responsePart = (result: unknown): string =>
  `Content-Type: application/json\r\nContent-Disposition: form-data; name="response"\r\n\r\n${JSON.stringify({ type: 'sync', 'status-code': 200, status: 'OK', result })}`;

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('files on the wire', () => {
  let fake: FakePebble;
  afterEach(async () => {
    await fake?.close();
  });

  it('sends the request part first, then the file, with Pebble’s keys and escaping', async () => {
    fake = await startFake({ 'POST /v1/files': () => sync([{ path: '/x/"q".conf' }]) });
    await push(fake.rq, '/x/"q".conf', 'content', {
      permissions: 0o640,
      userId: 0,
      groupId: 0,
      makeDirs: true,
    });
    const body = fake.requests[0]?.body ?? '';
    const firstLine = body.slice(0, body.indexOf('\r\n'));
    expect(firstLine.length - 2).toBeGreaterThanOrEqual(32);
    const request = body.indexOf('name="request"');
    const file = body.indexOf('name="files"; filename="/x/\\"q\\".conf"');
    expect(request).toBeGreaterThan(0);
    expect(file).toBeGreaterThan(request);
    const json = body.slice(body.indexOf('{'), body.indexOf('}]}') + 3);
    expect(JSON.parse(json)).toEqual({
      action: 'write',
      files: [
        { path: '/x/"q".conf', 'make-dirs': true, permissions: '640', 'user-id': 0, 'group-id': 0 },
      ],
    });
    expect(body.endsWith(`\r\ncontent\r\n${firstLine}--\r\n`)).toBe(true);
  });

  it('sends make-dirs and remove as JSON actions, and parses octal permissions', async () => {
    fake = await startFake({
      'POST /v1/files': (request) => {
        const action = JSON.parse(request.body).action as string;
        return sync([{ path: action === 'remove' ? '/gone' : '/d' }]);
      },
      'GET /v1/files': () =>
        sync([
          {
            path: '/d',
            name: 'd',
            type: 'directory',
            permissions: '750',
            'last-modified': '2026-01-02T03:04:05.123456789Z',
            'user-id': 0,
            user: 'root',
            'group-id': 0,
            group: 'root',
          },
        ]),
    });
    await makeDir(fake.rq, '/d', { makeParents: true, permissions: 0o750, user: 'root' });
    await removePath(fake.rq, '/gone', { recursive: true });
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      action: 'make-dirs',
      dirs: [{ path: '/d', 'make-parents': true, permissions: '750', user: 'root' }],
    });
    expect(JSON.parse(fake.requests[1]?.body ?? '')).toEqual({
      action: 'remove',
      paths: [{ path: '/gone', recursive: true }],
    });
    const [info] = await listFiles(fake.rq, '/d', { itself: true, pattern: '*' });
    expect(info).toMatchObject({ permissions: 0o750, userId: 0, groupId: 0, type: 'directory' });
    expect(fake.requests[2]?.query.get('itself')).toBe('true');
    expect(fake.requests[2]?.query.get('pattern')).toBe('*');
  });

  it('pull: a response part first with an error is a PathError', async () => {
    fake = await startFake({
      'GET /v1/files': (_, res) =>
        multipart(res, [
          responsePart([
            { path: '/f', error: { message: 'permission denied', kind: 'permission-denied' } },
          ]),
        ]),
    });
    const failure = await pull(fake.rq, '/f').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PathError);
    expect(failure).toMatchObject({ path: '/f', kind: 'permission-denied' });
  });

  it('pull: a response part first without an error, then the file', async () => {
    fake = await startFake({
      'GET /v1/files': (_, res) =>
        multipart(res, [responsePart([{ path: '/f' }]), filePart('/f', 'late file')]),
    });
    expect(await text(await pull(fake.rq, '/f'))).toBe('late file');
  });

  it('pull: an error reported after the content destroys the stream with a PathError', async () => {
    fake = await startFake({
      'GET /v1/files': (_, res) =>
        multipart(res, [
          filePart('/f', 'half of it'),
          responsePart([
            { path: '/f', error: { message: 'input/output error', kind: 'generic-file-error' } },
          ]),
        ]),
    });
    const stream = await pull(fake.rq, '/f');
    const failure = await text(stream).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PathError);
    expect(failure).toMatchObject({ kind: 'generic-file-error' });
  });

  it('pull: a body cut short, or with no response part, is a ProtocolError', async () => {
    fake = await startFake({
      'GET /v1/files': (request, res) =>
        request.query.get('path') === '/cut'
          ? multipart(res, [filePart('/cut', 'abc')], false)
          : multipart(res, [filePart('/none', 'abc')]),
    });
    expect(await text(await pull(fake.rq, '/cut')).catch((e: unknown) => e)).toBeInstanceOf(
      ProtocolError,
    );
    expect(await text(await pull(fake.rq, '/none')).catch((e: unknown) => e)).toBeInstanceOf(
      ProtocolError,
    );
  });

  it('pull: a refused request is an APIError with Pebble’s message', async () => {
    fake = await startFake({
      'GET /v1/files': () => error(400, 'must accept multipart/form-data'),
    });
    const failure = await pull(fake.rq, '/f').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ status: 400 });
    expect((failure as APIError).message).toContain('must accept multipart/form-data');
    expect(fake.requests[0]?.query.get('action')).toBe('read');
  });

  it('pull: no socket is a ConnectionError naming it', async () => {
    const dir = await mkdtemp(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'pf-'));
    const rq = new Requester({ socketPath: join(dir, 'missing.socket'), retryMs: 0 });
    try {
      const failure = await pull(rq, '/f').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConnectionError);
      expect((failure as Error).message).toContain(join(dir, 'missing.socket'));
    } finally {
      await rq.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('pull: retries a socket that appears within the retry time, then streams the file', async () => {
    const dir = await mkdtemp(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'pf-'));
    const socketPath = join(dir, 'late.socket');
    const content = Buffer.alloc(3 * 1024 * 1024, 'x');
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${boundary}` });
      res.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="/f"\r\n\r\n`,
      );
      res.write(content);
      res.end(`\r\n--${boundary}\r\n${responsePart([{ path: '/f' }])}\r\n--${boundary}--\r\n`);
    });
    const timer = setTimeout(() => server.listen(socketPath), 300);
    // The bound is generous: the socket appears after 300 ms, however loaded the machine.
    const rq = new Requester({ socketPath, retryMs: 30_000 });
    try {
      const received = Buffer.from(await text(await pull(rq, '/f')));
      expect(received.equals(content)).toBe(true);
    } finally {
      clearTimeout(timer);
      await rq.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
