import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';

/** Where the bundled packages' licence texts go inside a charm. */
export const NOTICES_PATH = 'THIRD-PARTY-NOTICES.txt';

/** A third-party package whose code is in the bundle. */
export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** Full texts of its LICENSE / LICENCE / COPYING / NOTICE files, by file name. */
  texts: { file: string; text: string }[];
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/**
 * Finds the npm packages (anything under a `node_modules/` directory) that contributed input
 * to the bundle and reads their name, version, declared licence and licence files.
 */
export async function bundledPackages(
  charmDir: string,
  metafile: Metafile,
): Promise<BundledPackage[]> {
  const roots = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const root = packageRoot(input);
    if (root) roots.add(root);
  }
  const packages: BundledPackage[] = [];
  for (const root of roots) {
    const dir = join(charmDir, root);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
      license?: string;
    };
    const files = (await readdir(dir)).filter((f) => LICENSE_FILE.test(f)).sort();
    const texts = await Promise.all(
      files.map(async (file) => ({ file, text: await readFile(join(dir, file), 'utf8') })),
    );
    packages.push({
      name: manifest.name ?? root,
      version: manifest.version ?? '',
      license: manifest.license ?? 'UNKNOWN',
      texts,
    });
  }
  const key = (p: BundledPackage) => `${p.name}@${p.version}`;
  return packages.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `…/node_modules/@scope/name/lib/x.js` → `…/node_modules/@scope/name`; undefined if first party. */
export function packageRoot(input: string): string | undefined {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const scoped = (parts[at + 1] as string).startsWith('@');
  return parts.slice(0, at + (scoped ? 3 : 2)).join('/');
}

/**
 * The text of THIRD-PARTY-NOTICES.txt: each bundled package with its licence texts, then the
 * legal comments esbuild kept from the sources; '' when there is nothing to credit.
 */
export function noticesText(packages: readonly BundledPackage[], legalComments: string): string {
  const sections: string[] = [];
  for (const pkg of packages) {
    const title = `${pkg.name} ${pkg.version} (${pkg.license})`;
    const body =
      pkg.texts.length > 0
        ? pkg.texts.map((t) => t.text.trimEnd()).join('\n\n')
        : `No licence file in the package; its package.json declares: ${pkg.license}`;
    sections.push(`${title}\n${'-'.repeat(title.length)}\n\n${body}\n`);
  }
  if (legalComments.trim() !== '') {
    sections.push(
      `Legal comments from the bundled sources\n${'-'.repeat(39)}\n\n${legalComments.trim()}\n`,
    );
  }
  if (sections.length === 0) return '';
  return `Third-party software bundled into charm.cjs\n\n${sections.join('\n')}`;
}
