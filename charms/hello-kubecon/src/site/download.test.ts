import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../test/fixture-server.ts';
import { SiteError } from '../errors.ts';
import { download } from './download.ts';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  server.routes.set('/site.zip', Buffer.from('zip bytes'));
  server.routes.set('/missing', { status: 404 });
  server.routes.set('/hang', 'hang');
  server.routes.set('/big', Buffer.alloc(4096));
});
afterAll(() => server.close());

async function failure(url: string, timeoutMs = 5000, maxBytes?: number): Promise<SiteError> {
  const error = await download(url, { timeoutMs, ...(maxBytes ? { maxBytes } : {}) }).catch(
    (e) => e,
  );
  expect(error).toBeInstanceOf(SiteError);
  return error as SiteError;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('download', () => {
  it('returns the body', async () => {
    const got = await download(`${server.url}/site.zip`, { timeoutMs: 5000 });
    expect(got.body.toString()).toBe('zip bytes');
    expect(got.mediaType).toBe('application/octet-stream');
    server.routes.set('/page', {
      status: 200,
      body: '<p>hi</p>',
      type: 'Text/HTML; charset=utf-8',
    });
    expect((await download(`${server.url}/page`, { timeoutMs: 5000 })).mediaType).toBe('text/html');
    server.routes.set('/untyped', { status: 200, body: 'x', type: '' });
    expect((await download(`${server.url}/untyped`, { timeoutMs: 5000 })).mediaType).toBe('');
  });

  it('fails on an HTTP error, a refused connection, a timeout and a size cap', async () => {
    expect(await failure(`${server.url}/missing`)).toMatchObject({
      code: 'DOWNLOAD',
      message: expect.stringContaining('HTTP 404'),
    });
    expect(await failure(`http://127.0.0.1:${await closedPort()}/x`)).toMatchObject({
      code: 'DOWNLOAD',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(await failure(`${server.url}/hang`, 50)).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('within 0.05 s'),
    });
    expect(await failure(`${server.url}/big`, 5000, 1000)).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('refuses other schemes and never shows credentials', async () => {
    expect(await failure('ftp://example.com/x.zip')).toMatchObject({ code: 'BAD_URL' });
    const error = await failure(`http://user:s3cret@${server.url.slice(7)}/missing`);
    expect(error.message).not.toContain('s3cret');
  });
});
