/**
 * A `.charm` read into the entries safe-extract.ts checks: the archive through the one zip
 * reader of charm-ts (@charm-ts/zip), its refusals as charm-sim's `BAD_CHARM`.
 * @module
 */
import { readZip, ZipError } from '@charm-ts/zip';
import { SimError } from './errors.ts';
import type { TreeEntry } from './safe-extract.ts';

/**
 * Reads every entry of the charm archive in `bytes`.
 * @throws SimError `BAD_CHARM` naming `label` when `bytes` is not a readable zip (not a zip,
 * truncated, a wrong size or CRC-32, Zip64, encrypted, an unknown compression method, over
 * 1 GiB once inflated).
 */
export function readCharmArchive(bytes: Buffer, label: string): TreeEntry[] {
  try {
    return readZip(bytes).map((file) => ({
      name: file.name,
      mode: file.mode,
      symlink: file.type === 'symlink',
      directory: file.type === 'directory',
      data: file.data,
    }));
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    throw new SimError(
      'BAD_CHARM',
      `cannot unpack ${label}: ${error.message}; rebuild it with charm-pack`,
      { cause: error },
    );
  }
}
