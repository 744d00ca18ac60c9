/**
 * The webroot storage, as the charm container sees it. Sites live in `releases/<id>/`;
 * `site` is a relative symlink to the current one and is what gosherve serves. A new site is
 * written to a fresh directory and renamed into `releases/`, then a new link is renamed over
 * `site`: rename(2) is atomic, so a request sees the old site or the new one, never a mix.
 * @module
 */
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SiteFile } from './site-archive.ts';

/** The link gosherve serves, relative to the storage root. */
export const SITE_LINK = 'site';
/** The release id of the page written before any site was pulled. */
export const PLACEHOLDER = 'placeholder';
/** The release id of the page the original charm left at the storage's top. */
export const ORIGINAL = 'original';

const PLACEHOLDER_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>hello-kubecon</title></head>
<body><h1>hello-kubecon</h1>
<p>No site has been pulled yet: run the <code>pull-site</code> action.</p></body></html>
`;

/** The webroot storage mounted at `root` in the charm container. */
export class Webroot {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** The id of the release `site` points at, or undefined when there is none yet. */
  async current(): Promise<string | undefined> {
    try {
      const target = await readlink(join(this.root, SITE_LINK));
      return target.startsWith('releases/') ? target.slice('releases/'.length) : target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Writes the placeholder page when no site is installed; returns true when it wrote it.
   * Throws the `node:fs` error when the storage cannot be written.
   */
  async ensureSite(): Promise<boolean> {
    if ((await this.current()) !== undefined) return false;
    await this.install([{ path: 'index.html', data: Buffer.from(PLACEHOLDER_HTML) }], PLACEHOLDER);
    return true;
  }

  /**
   * Adopts the site of the original charm, which wrote `index.html` at the storage's top and
   * served the whole storage: when no site is installed and `index.html` there is a regular
   * file, a copy becomes the release `original` (the file itself stays). Returns true when it
   * adopted one. Throws the `node:fs` error when the storage cannot be read or written.
   */
  async adoptOriginal(): Promise<boolean> {
    if ((await this.current()) !== undefined) return false;
    const page = join(this.root, 'index.html');
    try {
      if (!(await lstat(page)).isFile()) return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await this.install([{ path: 'index.html', data: await readFile(page) }], ORIGINAL);
    return true;
  }

  /**
   * Installs `files` as the release `id` (default: a new time-based id) and points `site` at
   * it, then removes the other releases. Until the final rename nothing the current site uses
   * is touched, and a failure removes the half-written directory. Throws the `node:fs` error.
   */
  async install(files: readonly SiteFile[], id = newReleaseId()): Promise<string> {
    const releases = join(this.root, 'releases');
    await mkdir(releases, { recursive: true, mode: 0o755 });
    const incoming = await mkdtemp(join(this.root, '.incoming-'));
    const release = join(releases, id);
    try {
      // mkdtemp makes 0700; the workload may run as another user and must read the site.
      await chmod(incoming, 0o755);
      for (const file of files) {
        const path = join(incoming, file.path);
        await mkdir(dirname(path), { recursive: true, mode: 0o755 });
        // 'wx': a fresh file in a fresh directory, never through an existing link.
        await writeFile(path, file.data, { mode: 0o644, flag: 'wx' });
      }
      await rm(release, { recursive: true, force: true });
      await rename(incoming, release);
      const link = join(this.root, `.site-${randomHex(6)}`);
      await symlink(`releases/${id}`, link);
      await rename(link, join(this.root, SITE_LINK));
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw error;
    }
    await this.#prune(id);
    return id;
  }

  /** Removes old releases and leftovers of interrupted installs; never throws. */
  async #prune(keep: string): Promise<void> {
    const remove = async (path: string) =>
      rm(path, { recursive: true, force: true }).catch(() => {});
    for (const name of await readdir(join(this.root, 'releases')).catch(() => [])) {
      if (name !== keep) await remove(join(this.root, 'releases', name));
    }
    for (const name of await readdir(this.root).catch(() => [])) {
      if (name.startsWith('.incoming-') || name.startsWith('.site-'))
        await remove(join(this.root, name));
    }
  }
}

function newReleaseId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${stamp}-${randomHex(3)}`;
}

/** `n` random bytes as hex. Web Crypto, so node:crypto loads only when a site is installed. */
function randomHex(n: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(n))).toString('hex');
}
