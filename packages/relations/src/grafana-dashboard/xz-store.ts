/**
 * A valid xz stream that stores its data uncompressed (LZMA2 "uncompressed" chunks, a CRC32
 * check): what the provider side of grafana_dashboard needs to hand Grafana a template that any
 * xz decoder (Python's liblzma, xz-embedded) reads, without bundling an LZMA encoder. The price
 * is size: the template is stored, not compressed.
 * @module
 */
import { crc32 } from 'node:zlib';

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_CRC32 = 0x01;
const LZMA2 = 0x21;
/** LZMA2 dictionary-size property 16: 1 MiB (decoders size their window from it). */
const DICT_PROPERTY = 16;
const CHUNK = 0x10000;

/** `data` as an xz stream of one block of uncompressed LZMA2 chunks (none when empty). */
export function xzStore(data: Uint8Array): Buffer {
  const flags = Buffer.from([0x00, CHECK_CRC32]);
  const header = Buffer.concat([Buffer.from(MAGIC), flags, le32(crc32(flags))]);
  const records: [number, number][] = [];
  const parts: Buffer[] = [header];
  if (data.length > 0) {
    // Block header: size, flags (one filter, no sizes), LZMA2 with its one property byte.
    const blockHeader = Buffer.from([0x02, 0x00, LZMA2, 0x01, DICT_PROPERTY, 0x00, 0x00, 0x00]);
    const block = [blockHeader, le32(crc32(blockHeader))];
    let compressed = 0;
    for (let at = 0; at < data.length; at += CHUNK) {
      const chunk = data.subarray(at, Math.min(at + CHUNK, data.length));
      // 0x01: uncompressed chunk with a dictionary reset (the first), 0x02: without.
      const control = Buffer.from([
        at === 0 ? 0x01 : 0x02,
        (chunk.length - 1) >> 8,
        (chunk.length - 1) & 0xff,
      ]);
      block.push(control, Buffer.from(chunk));
      compressed += control.length + chunk.length;
    }
    block.push(Buffer.from([0x00])); // end of LZMA2 data
    compressed += 1;
    block.push(Buffer.alloc((4 - (compressed % 4)) % 4));
    block.push(le32(crc32(data)));
    parts.push(...block);
    records.push([12 + compressed + 4, data.length]);
  }
  const index = [0x00, ...varint(records.length)];
  for (const [unpadded, size] of records) index.push(...varint(unpadded), ...varint(size));
  while (index.length % 4 !== 0) index.push(0x00);
  const indexBytes = Buffer.from(index);
  parts.push(indexBytes, le32(crc32(indexBytes)));
  const footerBody = Buffer.concat([le32((indexBytes.length + 4) / 4 - 1), flags]);
  parts.push(le32(crc32(footerBody)), footerBody, Buffer.from([0x59, 0x5a]));
  return Buffer.concat(parts);
}

function le32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}
