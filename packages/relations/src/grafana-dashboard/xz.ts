/**
 * `LZMABase64` (cosl) read back: base64 → xz → UTF-8, the way grafana_dashboard carries each
 * dashboard. The xz decoder is `xz-decompress`: xz-embedded (the decoder Linux boots with)
 * compiled to WebAssembly and shipped inside its JavaScript, so it bundles into a charm and runs
 * on amd64 and arm64 alike, with no native addon. It checks the stream's integrity check
 * (CRC32, CRC64 or SHA-256) as liblzma does. `bench/xz` measures what it adds to a charm.
 * @module
 */

/** Why a dashboard's content cannot be read, with Python's liblzma wording where it has one. */
export class DashboardContentError extends Error {
  override readonly name = 'DashboardContentError';
}

/** The most one dashboard may decompress to: a hostile bag must not exhaust the hook. */
export const MAX_DASHBOARD_BYTES = 32 * 1024 * 1024;

// xz-embedded's enum xz_ret, worded as Python's lzma module words liblzma's errors.
const XZ_ERRORS: Record<number, string> = {
  2: 'Unsupported integrity check',
  3: 'Memory usage limit reached',
  4: 'Memory usage limit reached',
  5: 'Input format not supported by decoder',
  6: 'Invalid or unsupported options',
  7: 'Corrupt input data',
  8: 'Compressed data ended before the end-of-stream marker was reached',
};

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type XzModule = typeof import('xz-decompress');
let xz: Promise<XzModule> | undefined;

/**
 * `content` decoded as `LZMABase64.decompress` does: base64 (characters outside its alphabet
 * are dropped first, as Python's `b64decode` drops them), then xz, then UTF-8. Throws
 * `DashboardContentError` for bad base64, an xz stream liblzma would refuse (with its message),
 * text that is not UTF-8, or more than `maxBytes` of output.
 */
export async function decodeLzmaBase64(
  content: string,
  maxBytes = MAX_DASHBOARD_BYTES,
): Promise<string> {
  const compact = content.replace(/[^A-Za-z0-9+/=]/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new DashboardContentError('Incorrect padding: not base64');
  }
  const bytes = Buffer.from(compact, 'base64');
  const out = await decodeXz(bytes, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch {
    throw new DashboardContentError('the decompressed dashboard is not UTF-8 text');
  }
}

/** The xz stream in `bytes`, decompressed; at most `maxBytes`. Throws `DashboardContentError`. */
export async function decodeXz(bytes: Uint8Array, maxBytes = MAX_DASHBOARD_BYTES): Promise<Buffer> {
  // liblzma looks at the magic first: a short stream that is not xz is a format error.
  if (XZ_MAGIC.some((byte, i) => i < bytes.length && bytes[i] !== byte)) {
    throw new DashboardContentError(XZ_ERRORS[5] as string);
  }
  xz ??= import('xz-decompress');
  const { XzReadableStream } = await xz;
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const reader = new XzReadableStream(input).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        // xz-decompress 0.2.3 serialises its decoders behind a lock that cancel() does not
        // release (an error does): without this, the next decode would wait forever.
        releaseDecoderLock(XzReadableStream);
        throw new DashboardContentError(`decompresses to more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DashboardContentError) throw error;
    const code = /error code (\d+)/.exec((error as Error).message)?.[1];
    throw new DashboardContentError(
      (code && XZ_ERRORS[Number(code)]) || `xz: ${(error as Error).message}`,
    );
  }
  return Buffer.concat(chunks);
}

function releaseDecoderLock(stream: unknown): void {
  const lock = (stream as { _contextMutex?: { locked?: boolean; release?: () => void } })
    ._contextMutex;
  if (lock?.locked) lock.release?.();
}
