/**
 * From an archive's files to a site's: GitHub-style archives keep everything under one
 * top-level directory (`test-site-master/`), which is not part of the site.
 * @module
 */
import { SiteError } from '../errors.ts';
import type { SiteFile } from './site-archive.ts';

/**
 * The site's files: the single top-level directory every file shares is stripped, and the
 * site must have an `index.html` at its top (gosherve serves it for `/`).
 * Throws `SiteError` `NOT_A_SITE` for an empty archive or one without index.html.
 */
export function siteFiles(files: readonly SiteFile[]): SiteFile[] {
  if (files.length === 0) throw new SiteError('NOT_A_SITE', 'the archive holds no files');
  const first = files[0]?.path.split('/')[0] ?? '';
  const nested = files.every((f) => f.path.startsWith(`${first}/`));
  const out = nested
    ? files.map((f) => ({ path: f.path.slice(first.length + 1), data: f.data }))
    : [...files];
  if (!out.some((f) => f.path === 'index.html')) {
    throw new SiteError(
      'NOT_A_SITE',
      `the archive has no index.html at its top${nested ? ` (nor under ${first}/)` : ''}: gosherve serves it for /`,
    );
  }
  return out;
}
