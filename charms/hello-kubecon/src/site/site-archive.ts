/**
 * A site archive read strictly: the zip through the one reader of charm-ts (@charm-ts/zip:
 * declared sizes and CRC-32 checked, entry count and inflated total bounded, a zip bomb cut
 * off at the limit), then every entry held to what a site may be: paths that stay inside it,
 * regular files only, no duplicates, no file that is also a directory.
 * @module
 */
import { readZip, ZipError, type ZipFile } from '@charm-ts/zip';
import { SiteError } from '../errors.ts';

/** One file of the site: its path and contents. */
export interface SiteFile {
  /** `/`-separated, relative, normalised (no `.`, `..` or empty segments). */
  readonly path: string;
  readonly data: Buffer;
}

/** Limits of {@link readSiteArchive}. */
export interface SiteArchiveLimits {
  /** Optional: most entries in the archive. Default 10 000. */
  readonly maxEntries?: number;
  /** Optional: most bytes once inflated, all files together. Default 256 MiB. */
  readonly maxTotalBytes?: number;
}

/**
 * Reads every regular file of the zip archive in `archive`; directory entries are skipped.
 * Throws `SiteError`: `CORRUPT` (not a zip, truncated, bad sizes or CRC, duplicates),
 * `UNSAFE` (an absolute or `..` path, a symlink or special file), `UNSUPPORTED` (encryption,
 * Zip64, multi-disk, a compression method other than stored/deflate), `TOO_LARGE`.
 */
export function readSiteArchive(archive: Buffer, limits: SiteArchiveLimits = {}): SiteFile[] {
  const entries = readEntries(archive, {
    maxEntries: limits.maxEntries ?? 10_000,
    maxTotalBytes: limits.maxTotalBytes ?? 256 * 1024 * 1024,
  });
  const files: SiteFile[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const path = safePath(entry.name);
    const shown = JSON.stringify(entry.name);
    if (entry.type === 'symlink') {
      throw new SiteError(
        'UNSAFE',
        `archive entry ${shown} is a symlink: a site holds regular files only`,
      );
    }
    if (entry.type === 'special') {
      const type = entry.unixMode & 0o170000;
      throw new SiteError(
        'UNSAFE',
        `archive entry ${shown} is a special file (mode ${type.toString(8)})`,
      );
    }
    if (entry.type === 'directory') continue;
    if (seen.has(path)) corrupt(`the archive holds ${JSON.stringify(path)} twice`);
    seen.add(path);
    files.push({ path, data: entry.data });
  }
  checkFileDirConflicts(seen);
  return files;
}

/** The archive's entries, the reader's refusals as `SiteError`s with the same codes. */
function readEntries(archive: Buffer, limits: Required<SiteArchiveLimits>): ZipFile[] {
  try {
    return readZip(archive, limits);
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    switch (error.code) {
      case 'NOT_A_ZIP':
        throw new SiteError(
          'CORRUPT',
          'the download is not a zip archive (no end of central directory): check that site-url points at a .zip',
          { cause: error },
        );
      case 'UNSUPPORTED':
        throw new SiteError(
          'UNSUPPORTED',
          `${error.message}: pack the site as a plain zip (stored or deflated, under 4 GiB and 65535 files)`,
          { cause: error },
        );
      case 'TOO_LARGE':
        throw new SiteError('TOO_LARGE', error.message, { cause: error });
      default:
        throw new SiteError('CORRUPT', `the archive is corrupt: ${error.message}`, {
          cause: error,
        });
    }
  }
}

function corrupt(detail: string): never {
  throw new SiteError('CORRUPT', `the archive is corrupt: ${detail}`);
}

/** The entry's normalised relative path; throws UNSAFE for a path that could leave the site. */
function safePath(name: string): string {
  if (name.includes('\0') || name.includes('\\')) {
    throw new SiteError(
      'UNSAFE',
      `archive entry ${JSON.stringify(name)} has a NUL or backslash in its name`,
    );
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new SiteError('UNSAFE', `archive entry ${JSON.stringify(name)} has an absolute path`);
  }
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new SiteError(
      'UNSAFE',
      `archive entry ${JSON.stringify(name)} escapes the site with '..'`,
    );
  }
  if (segments.length === 0) corrupt(`entry ${JSON.stringify(name)} has an empty path`);
  return segments.join('/');
}

/** A file `a` and a file `a/b` cannot both be written. */
function checkFileDirConflicts(paths: Set<string>): void {
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (paths.has(parent)) corrupt(`${JSON.stringify(parent)} is both a file and a directory`);
    }
  }
}
