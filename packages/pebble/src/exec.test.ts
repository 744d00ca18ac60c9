/**
 * Exec against a real daemon: what only a real daemon shows (the contract itself runs in
 * contract.test.ts): a terminal resize, an abandoned process, a daemon dying mid-exec.
 */
import { describe, expect, it } from 'vitest';
import { daemonPerTest } from '../test/daemon-per-test.ts';
import { PebbleClient } from './client.ts';
import { ConnectionError } from './errors.ts';
import { realPebbleSkipReason } from './testing/real-pebble.ts';
import { waitUntil } from './testing/wait.ts';

const skipReason = realPebbleSkipReason();

/** Accumulates a stream's text; `until` waits for the text to match. */
function collect(stream: NodeJS.ReadableStream) {
  let text = '';
  stream.on('data', (chunk) => {
    text += String(chunk);
  });
  return {
    until(pattern: RegExp): Promise<RegExpMatchArray> {
      return waitUntil(`the output to match ${pattern}`, () => text.match(pattern) ?? undefined, {
        lastSeen: () => JSON.stringify(text),
      });
    },
  };
}

describe.skipIf(skipReason !== undefined)(
  `exec against a real daemon${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const daemon = daemonPerTest();

    it('releases its connections once the process exited, so the caller can exit', async () => {
      // Regression (snappass hooks took 30-45 s): Pebble stops reading a finished process's
      // stdio and stderr sockets, so their close handshake never completed and the upgraded
      // connections, which closing the Agent does not reach, kept Node's event loop alive.
      const pipes = () => process.getActiveResourcesInfo().filter((r) => r === 'PipeWrap').length;
      const before = pipes();
      const client = new PebbleClient({ socketPath: daemon().socketPath });
      const proc = await client.exec(['echo', 'hi']);
      expect(await proc.waitOutput()).toEqual({ stdout: 'hi\n', stderr: '' });
      await client.close();
      await waitUntil(
        `the exec's pipes to close (${before} open before it)`,
        () => pipes() <= before,
        {
          lastSeen: () => `${pipes()} pipes open`,
        },
      );
    });

    it('resizes the terminal of a terminal process', async () => {
      // Polls its own size: the resize travels on the control socket, so no ordering with
      // stdio can be assumed.
      const script =
        'stty size; while [ "$(stty size)" = "25 80" ]; do sleep 0.05; done; stty size';
      const process = await daemon().client.exec(['/bin/sh', '-c', script], {
        terminal: true,
        interactive: true,
        width: 80,
        height: 25,
      });
      const output = collect(process.stdout);
      await output.until(/25 80/);
      await process.resize(100, 30);
      await output.until(/30 100/);
      process.stdin?.end();
      expect(await process.wait()).toBe(0);
    });

    it('rejects wait() with ConnectionError and ends the streams when the daemon dies', async () => {
      const process = await daemon().client.exec(['sleep', '30']);
      const waiting = process.wait().catch((e: unknown) => e);
      await daemon().kill();
      expect(await waiting).toBeInstanceOf(ConnectionError);
      for await (const _ of process.stdout) {
        // Ends rather than hangs.
      }
    });

    it('kills an abandoned process when the caller aborts', async () => {
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      const process = await daemon().client.exec(['sleep', '30'], { signal: controller.signal });
      const waiting = process.wait().catch((e: unknown) => e);
      controller.abort(reason);
      expect(await waiting).toBe(reason);
      // The process was killed: its change finishes soon with exit 137 (SIGKILL).
      const changes = await daemon().client.listChanges({ select: 'all' });
      const change = await daemon().client.waitChange(changes[0]?.id ?? '', { timeoutMs: 30_000 });
      expect(change.tasks[0]?.data['exit-code']).toBe(137);
    });
  },
);
