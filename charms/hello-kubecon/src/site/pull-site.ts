/**
 * The pull-site action's work: download, check, install atomically.
 * @module
 */
import { download } from './download.ts';
import { siteFiles } from './site-files.ts';
import type { Webroot } from './webroot.ts';
import { readZip } from './zip.ts';

/** Options of {@link pullSite}. */
export interface PullSiteOptions {
  /** Required: the site archive's URL (a zip). */
  readonly url: string;
  /** Required: the deadline of the download, in milliseconds. */
  readonly timeoutMs: number;
  /** Optional: called before each step, for action logs. */
  readonly progress?: (message: string) => void | Promise<void>;
}

/** What was installed. */
export interface PulledSite {
  /** The new release's id (`releases/<id>` in the webroot). */
  readonly release: string;
  /** Regular files in the site. */
  readonly files: number;
  /** Bytes downloaded. */
  readonly bytes: number;
}

/**
 * Downloads the archive, reads and checks every entry, then installs the site. Throws
 * `SiteError` (see `download`, `readZip`, `siteFiles`) before anything in the webroot changed,
 * or the `node:fs` error of the install (which leaves the current site in place).
 */
export async function pullSite(webroot: Webroot, options: PullSiteOptions): Promise<PulledSite> {
  await options.progress?.('downloading the site archive');
  const archive = await download(options.url, { timeoutMs: options.timeoutMs });
  await options.progress?.(`checking the archive (${archive.length} bytes)`);
  const files = siteFiles(readZip(archive));
  await options.progress?.(`installing ${files.length} files`);
  const release = await webroot.install(files);
  return { release, files: files.length, bytes: archive.length };
}
