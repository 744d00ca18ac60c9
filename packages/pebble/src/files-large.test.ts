/**
 * 1 GiB through a real daemon, both ways: generated on the fly, hashed on the fly, never held
 * in memory. RSS is sampled every 10 ms during the transfer, and what the transfer adds to
 * the process must stay under 100 MiB; a client that buffered the file would add over 1 GiB.
 *
 * The limit is on the growth, not the total: this vitest worker alone sits at 75-85 MiB
 * before the transfer, and V8 frees `Buffer` memory lazily (a plain `fs` read of 256 MiB in
 * Node adds ~40 MiB of dead buffers too). The plain-node total is measured by
 * bench/pebble-files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealPebble, realPebbleSkipReason, startRealPebble } from './testing/real-pebble.ts';

const MiB = 1024 * 1024;
const size = 1024 * MiB;
const limit = 100 * MiB;
const skipReason = realPebbleSkipReason();

/**
 * `total` bytes in 1 MiB chunks from a ring of four buffers. Reuse is safe: the request body
 * pulls a chunk only after the previous one was handed to the kernel, and the hash compared
 * after the pull would catch any chunk overwritten too early.
 */
async function* generate(
  total: number,
  hash: ReturnType<typeof createHash>,
): AsyncGenerator<Buffer> {
  const ring = Array.from({ length: 4 }, () => randomBytes(MiB));
  for (let sent = 0, n = 0; sent < total; sent += MiB, n++) {
    const chunk = (ring[n % ring.length] as Buffer).subarray(0, Math.min(MiB, total - sent));
    chunk.writeUInt32LE(n, 0);
    hash.update(chunk);
    yield chunk;
  }
}

/** Samples RSS every 10 ms until the returned function is called; it returns the peak. */
function sampleRss(): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss());
  };
}

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

describe.skipIf(skipReason !== undefined)(
  `1 GiB through a real daemon${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let daemon: RealPebble;
    beforeAll(async () => {
      daemon = await startRealPebble();
    });
    afterAll(async () => {
      await daemon?.close();
    });

    it('streams 1 GiB both ways, adding less than 100 MiB of RSS', async () => {
      const path = `${daemon.dir}/large.bin`;
      const baseline = process.memoryUsage.rss();
      const stop = sampleRss();
      const sent = createHash('sha256');
      await daemon.client.push(path, generate(size, sent));
      const received = createHash('sha256');
      let bytes = 0;
      for await (const chunk of await daemon.client.pull(path)) {
        received.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      const peak = stop();
      await daemon.client.removePath(path);
      console.log(
        `1 GiB push + pull: RSS before ${mib(baseline)}, peak ${mib(peak)}, added ${mib(peak - baseline)}`,
      );
      expect(bytes).toBe(size);
      expect(received.digest('hex')).toBe(sent.digest('hex'));
      expect(peak - baseline).toBeLessThan(limit);
    });
  },
);
