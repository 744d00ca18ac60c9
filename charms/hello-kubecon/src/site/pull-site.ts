/**
 * Pulling the site: download, check, install atomically. The pull-site action and the
 * install-time fetch both run it.
 * @module
 */
import { download } from './download.ts';
import { siteContent } from './site-content.ts';
import type { Webroot } from './webroot.ts';

/** Options of {@link pullSite}. */
export interface PullSiteOptions {
  /** Required: the site's URL (a zip archive or an HTML page). */
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
  /** `zip`: an archive unpacked; `page`: one page installed as index.html. */
  readonly kind: 'zip' | 'page';
  /** Regular files in the site. */
  readonly files: number;
  /** Bytes downloaded. */
  readonly bytes: number;
}

/**
 * Downloads the site, reads and checks it, then installs it. Throws `SiteError` (see
 * `download`, `siteContent`) before anything in the webroot changed, or the `node:fs` error of
 * the install (which leaves the current site in place).
 */
export async function pullSite(webroot: Webroot, options: PullSiteOptions): Promise<PulledSite> {
  await options.progress?.('downloading the site');
  const got = await download(options.url, { timeoutMs: options.timeoutMs });
  await options.progress?.(
    `checking what was downloaded (${got.body.length} bytes, ${got.mediaType || 'no content type'})`,
  );
  const site = siteContent(got, options.url);
  await options.progress?.(
    site.kind === 'zip'
      ? `installing ${site.files.length} files`
      : 'installing the page as index.html',
  );
  const release = await webroot.install(site.files);
  return { release, kind: site.kind, files: site.files.length, bytes: got.body.length };
}
