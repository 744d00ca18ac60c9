import { copyFile, link, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Links (or copies, across file systems) every `charms/<name>/dist/*.charm` under `root`
 * into `root/dist/`, replacing older files of the same name. Run after `turbo run build`,
 * whose cache restores each charm's own `dist/` but not the workspace's.
 * Returns the paths written; none when there are no charms.
 *
 * @throws Error from `node:fs` when `root/dist` cannot be written.
 */
export async function collectCharms(
  root: string,
  onProgress?: (line: string) => void,
): Promise<string[]> {
  const charms = await readdir(join(root, 'charms'), { withFileTypes: true }).catch(() => []);
  const out = join(root, 'dist');
  const written: string[] = [];
  for (const charm of charms.filter((d) => d.isDirectory()).sort(byName)) {
    const dist = join(root, 'charms', charm.name, 'dist');
    const files = await readdir(dist).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.charm')).sort()) {
      await mkdir(out, { recursive: true });
      const target = join(out, file);
      await rm(target, { force: true });
      await link(join(dist, file), target).catch(() => copyFile(join(dist, file), target));
      onProgress?.(`collect: ${join('charms', charm.name, 'dist', file)} -> dist/${file}`);
      written.push(target);
    }
  }
  return written;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
