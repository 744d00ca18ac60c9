/**
 * Pushing the charm's files into the workload only when they changed. The container keeps a
 * manifest of what the charm last wrote (path → SHA-256), so a hook with nothing new reads
 * one small file and writes nothing; a new container (no manifest) gets every file, and any
 * dashboard file the charm did not write there is removed.
 * @module
 */
import { type Container, PathError } from '@charm-ts/ops';
import { DASHBOARDS_DIR, sha256, type WorkloadFile } from './workload.ts';

/** What the charm last wrote into the container, kept there. */
export const MANIFEST_PATH = '/etc/grafana/.charm-files.json';

/**
 * Makes the container's files `wanted`: pushes those that changed (or are new), removes those
 * the charm wrote before and no longer wants, and returns the paths that changed (empty: the
 * workload has nothing new to read). Throws Pebble's errors.
 */
export async function syncFiles(
  container: Container,
  wanted: readonly WorkloadFile[],
): Promise<string[]> {
  const before = await readManifest(container);
  const after: Record<string, string> = {};
  const changed: string[] = [];
  for (const file of wanted) {
    const digest = `${sha256(file.content)}:${file.permissions.toString(8)}`;
    after[file.path] = digest;
    if (before?.[file.path] === digest) continue;
    await container.push(file.path, file.content, {
      makeDirs: true,
      permissions: file.permissions,
    });
    changed.push(file.path);
  }
  const stale = before
    ? Object.keys(before).filter((path) => !(path in after))
    : // No manifest: a new container, or one another charm wrote into (the original left
      // dashboards named <uuid>.json there).
      (await listJson(container)).filter((path) => !(path in after));
  for (const path of stale) {
    await container.removePath(path);
    changed.push(path);
  }
  if (changed.length > 0 || !before) {
    await container.push(MANIFEST_PATH, `${JSON.stringify(after, null, 1)}\n`, {
      makeDirs: true,
      permissions: 0o600,
    });
  }
  return changed;
}

async function readManifest(container: Container): Promise<Record<string, string> | undefined> {
  let text: string;
  try {
    text = await container.pullText(MANIFEST_PATH);
  } catch (error) {
    if (error instanceof PathError && error.kind === 'not-found') return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, string>;
    }
  } catch {
    // A manifest someone damaged: as if there were none, every file is pushed again.
  }
  return undefined;
}

async function listJson(container: Container): Promise<string[]> {
  try {
    return (await container.listFiles(DASHBOARDS_DIR, { pattern: '*.json' }))
      .filter((f) => f.type === 'file')
      .map((f) => f.path);
  } catch (error) {
    if (error instanceof PathError && error.kind === 'not-found') return [];
    throw error;
  }
}
