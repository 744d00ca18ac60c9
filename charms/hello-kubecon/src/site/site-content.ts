/**
 * What a download holds: a zip archive of a site (known by its first bytes, whatever the
 * server calls it), or a single page, as the original charm served `site-url` as
 * `/srv/index.html`. Anything else is refused before the webroot is touched.
 * @module
 */
import { SiteError } from '../errors.ts';
import { redact } from '../urls.ts';
import type { Download } from './download.ts';
import { readSiteArchive, type SiteFile } from './site-archive.ts';
import { siteFiles } from './site-files.ts';

/** The site to install, and what it came as. */
export interface SiteContent {
  readonly kind: 'zip' | 'page';
  readonly files: readonly SiteFile[];
}

/** Media types installed as the site's index.html. */
const PAGE_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/plain']);
/** Media types that say nothing: the bytes decide. */
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/**
 * The site in `download` from `url`: a zip (local-file or empty-archive signature `PK\3\4`,
 * `PK\5\6`) is read and checked entry by entry; a page (declared `text/html`,
 * `application/xhtml+xml` or `text/plain`, or undeclared and UTF-8 text) becomes
 * `index.html`. Throws `SiteError`: `NOT_A_SITE` for an empty download or one that is
 * neither, and what `readSiteArchive` and `siteFiles` throw for a bad archive.
 */
export function siteContent(download: Download, url: string): SiteContent {
  const { body, mediaType } = download;
  const shown = redact(url);
  if (body.length === 0) throw new SiteError('NOT_A_SITE', `${shown} answered an empty body`);
  if (isZip(body)) return { kind: 'zip', files: siteFiles(readSiteArchive(body)) };
  const declared = PAGE_TYPES.has(mediaType);
  if ((declared && !body.includes(0)) || (UNTYPED.has(mediaType) && isText(body))) {
    return { kind: 'page', files: [{ path: 'index.html', data: body }] };
  }
  const what = declared ? `${mediaType} with binary bytes` : mediaType || 'binary data';
  throw new SiteError(
    'NOT_A_SITE',
    `${shown} answered ${what}: site-url must point at a zip archive of the site or at an HTML page`,
  );
}

function isZip(body: Buffer): boolean {
  return (
    body.length >= 4 &&
    body[0] === 0x50 &&
    body[1] === 0x4b &&
    ((body[2] === 3 && body[3] === 4) || (body[2] === 5 && body[3] === 6))
  );
}

/** Valid UTF-8 with no control characters but tab, newlines and form feed. */
function isText(body: Buffer): boolean {
  for (const byte of body) {
    if ((byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 12 && byte !== 13) || byte === 0x7f)
      return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}
