/**
 * The bodies of `push` and `pull` on an in-memory Pebble: a push source read whole before
 * anything is written (a source failing midway leaves the old file intact, as with Pebble),
 * and a pulled file streamed in 64 KiB chunks.
 * @module
 */
import { Readable } from 'node:stream';
import type { PushSource } from '@charm-ts/pebble';

/** All of `source` (text, bytes or a stream of either). */
export async function readPushSource(source: PushSource): Promise<Buffer> {
  if (typeof source === 'string' || source instanceof Uint8Array) return Buffer.from(source);
  const chunks: Buffer[] = [];
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** `content` as a stream of 64 KiB chunks. */
export function pulledStream(content: Buffer): Readable {
  const size = 64 * 1024;
  return Readable.from(
    (function* () {
      for (let at = 0; at < content.length; at += size) yield content.subarray(at, at + size);
    })(),
  );
}
