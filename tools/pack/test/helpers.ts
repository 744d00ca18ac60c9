import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip, type ZipFile } from '@charm-ts/zip';

/** The fixture charm every pack test builds. */
export const HELLO = fileURLToPath(new URL('./fixtures/hello', import.meta.url));

/** Unpacks a .charm into `dir` the way Juju does: each file with the mode from the zip. */
export async function unpack(charm: string, dir: string): Promise<ZipFile[]> {
  const files = readZip(await readFile(charm));
  for (const file of files) {
    const path = join(dir, file.name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
    await chmod(path, file.mode ?? 0o644);
  }
  return files;
}
