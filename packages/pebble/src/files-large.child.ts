/**
 * The process files-large.test.ts measures: it pushes or pulls one large file through the
 * client and prints one JSON line with its memory, so the peak RSS is that of a plain Node
 * process doing the transfer (vitest's own memory does not count). Bundled with esbuild by the
 * test (Node 20 cannot run `.ts`).
 *
 * Usage: node files-large.child.cjs <socket> <remote path> <MiB> push|pull
 *
 * The content is a fixed pseudo-random ring of four 256 KiB blocks, each chunk stamped with its
 * index; the pull side checks every byte against it, so no hashing library is loaded.
 * @module
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PebbleClient } from './client.ts';

const MiB = 1024 * 1024;
/** 256 KiB chunks from a 1 MiB ring: the harness itself holds 1 MiB of content. */
const chunkSize = 256 * 1024;

/** Peak RSS of this process so far (VmHWM), in bytes. */
function vmHwm(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Four blocks of xorshift output: cheap, deterministic, incompressible enough. */
function makeRing(): Buffer[] {
  let x = 0x9e3779b9;
  return Array.from({ length: 4 }, () => {
    const block = Buffer.allocUnsafe(chunkSize);
    for (let i = 0; i < chunkSize; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      block.writeInt32LE(x | 0, i);
    }
    return block;
  });
}

/** Chunk `n` of the content: a ring block with `n` in its first four bytes. */
function chunkOf(ring: Buffer[], n: number, total: number): Buffer {
  const size = Math.min(chunkSize, total - n * chunkSize);
  const chunk = (ring[n % ring.length] as Buffer).subarray(0, size);
  chunk.writeUInt32LE(n, 0);
  return chunk;
}

/**
 * The content, chunk by chunk. Reusing the ring is safe: the request body pulls the next chunk
 * only after the previous one went to the socket, and the pull side would catch a chunk
 * overwritten too early.
 */
async function* content(ring: Buffer[], total: number): AsyncGenerator<Buffer> {
  for (let n = 0; n * chunkSize < total; n++) yield chunkOf(ring, n, total);
}

/** A sink that compares every byte it receives with the content; `received` counts them. */
class Checker extends Writable {
  received = 0;
  readonly #ring: Buffer[];
  readonly #total: number;

  constructor(ring: Buffer[], total: number) {
    super({ highWaterMark: chunkSize });
    this.#ring = ring;
    this.#total = total;
  }

  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      const at = this.received + offset;
      if (at >= this.#total) {
        callback(new Error(`more than ${this.#total} bytes`));
        return;
      }
      const n = Math.floor(at / chunkSize);
      const expected = chunkOf(this.#ring, n, this.#total).subarray(at - n * chunkSize);
      const length = Math.min(expected.length, chunk.length - offset);
      if (chunk.compare(expected, 0, length, offset, offset + length) !== 0) {
        callback(new Error(`bytes differ in the chunk starting at byte ${n * chunkSize}`));
        return;
      }
      offset += length;
    }
    this.received += chunk.length;
    callback();
  }
}

async function main(): Promise<void> {
  const [socketPath, path, sizeMiB, op] = process.argv.slice(2);
  if (!socketPath || !path || !sizeMiB || (op !== 'push' && op !== 'pull')) {
    throw new Error('usage: files-large.child.cjs <socket> <remote path> <MiB> push|pull');
  }
  const total = Number(sizeMiB) * MiB;
  const ring = makeRing();
  const client = new PebbleClient({ socketPath, retryMs: 0 });
  // One request first, so the baseline includes undici and its connection.
  await client.getSystemInfo();
  const rssBefore = process.memoryUsage.rss();
  const hwmBefore = vmHwm();
  let bytes = total;
  if (op === 'push') {
    await client.push(path, content(ring, total));
  } else {
    const checker = new Checker(ring, total);
    await pipeline(await client.pull(path), checker);
    bytes = checker.received;
  }
  await client.close();
  const memory = process.memoryUsage();
  console.log(
    JSON.stringify({
      op,
      bytes,
      rssBefore,
      hwmBefore,
      hwm: vmHwm(),
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
