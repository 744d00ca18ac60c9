/**
 * Files against a real daemon: what only a real socket can show (the contract itself runs in
 * contract.test.ts). A daemon killed or a caller aborting mid-transfer must end in an error,
 * never a hang or a half-written file.
 */
import { describe, expect, it } from 'vitest';
import { daemonPerTest } from '../test/daemon-per-test.ts';
import { APIError, ConnectionError, PathError } from './errors.ts';
import { push } from './files-push.ts';
import { Requester } from './internal/requester.ts';
import { realPebbleSkipReason } from './testing/real-pebble.ts';

const MiB = 1024 * 1024;
const skipReason = realPebbleSkipReason();

/** 1 MiB chunks forever; calls `after` once `limit` bytes were produced. */
async function* endless(limit: number, after: () => void): AsyncGenerator<Buffer> {
  for (let sent = 0; ; sent += MiB) {
    if (sent === limit) after();
    yield Buffer.alloc(MiB, sent & 0xff);
  }
}

describe('files: checks made before anything is sent', () => {
  const rq = new Requester({ socketPath: '/nonexistent/charm-ts.socket', retryMs: 0 });

  it('refuses permissions outside 0o000–0o777 with a PathError naming the path', async () => {
    for (const permissions of [0o4755, -1, 1.5, 0o1000]) {
      const error = await push(rq, '/etc/app.conf', 'x', { permissions }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PathError);
      expect((error as PathError).path).toBe('/etc/app.conf');
      expect((error as PathError).message).toContain('0o777');
    }
  });
});

describe.skipIf(skipReason !== undefined)(
  `files against a real daemon${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const daemon = daemonPerTest();

    it('answers a relative path with an APIError (a bad request, not a path error)', async () => {
      const error = await daemon()
        .client.listFiles('relative/path')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(400);
    });

    it('reports permission-denied where even root is refused (removing /proc/1)', async () => {
      // The contract's permission test is skipped as root (root bypasses file modes); procfs
      // refuses to unlink a process directory to everyone, so the kind is checked here too.
      const error = await daemon()
        .client.removePath('/proc/1')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PathError);
      expect(error).toMatchObject({ path: '/proc/1', kind: 'permission-denied' });
    });

    it('errors a pull stream with ConnectionError when the daemon dies mid-transfer', async () => {
      const path = `${daemon().dir}/big.bin`;
      await daemon().client.push(path, Buffer.alloc(64 * MiB, 7));
      const stream = await daemon().client.pull(path);
      let received = 0;
      let killed = false;
      const reading = (async () => {
        for await (const chunk of stream) {
          received += (chunk as Buffer).length;
          // The reader takes nothing more until the daemon is gone: what is left to read is
          // what the socket buffers held then, far less than the file.
          if (received >= MiB && !killed) {
            killed = true;
            await daemon().kill();
          }
        }
      })();
      const error = await reading.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(received).toBeLessThan(64 * MiB);
    });

    it('rejects a push with ConnectionError when the daemon dies mid-upload', async () => {
      const error = await daemon()
        .client.push(
          `${daemon().dir}/up.bin`,
          endless(8 * MiB, () => daemon().kill()),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
    });

    it('stops a push on abort with the reason, and writes nothing', async () => {
      const controller = new AbortController();
      const path = `${daemon().dir}/aborted.bin`;
      const reason = new Error('caller gave up');
      const error = await daemon()
        .client.push(
          path,
          endless(4 * MiB, () => controller.abort(reason)),
          { signal: controller.signal },
        )
        .catch((e: unknown) => e);
      expect(error).toBe(reason);
      const missing = await daemon()
        .client.listFiles(path)
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(PathError);
      expect((missing as PathError).kind).toBe('not-found');
    });

    it('errors a pull stream with the abort reason', async () => {
      const path = `${daemon().dir}/big.bin`;
      await daemon().client.push(path, Buffer.alloc(16 * MiB, 1));
      const controller = new AbortController();
      const reason = new Error('stop reading');
      const stream = await daemon().client.pull(path, { signal: controller.signal });
      const reading = (async () => {
        for await (const _ of stream) controller.abort(reason);
      })();
      expect(await reading.catch((e: unknown) => e)).toBe(reason);
      // The client is still usable afterwards.
      expect((await daemon().client.listFiles(path))[0]?.size).toBe(16 * MiB);
    });
  },
);
