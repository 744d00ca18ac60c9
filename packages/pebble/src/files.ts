/**
 * Files: list a directory, make directories, remove paths. Pushing and pulling stream, each
 * in its own module (files-push.ts, files-pull.ts); the wire shapes they share are in
 * internal/files-wire.ts. Every per-path failure Pebble reports becomes a `PathError`.
 * @module
 */
import { APIError, PathError, ProtocolError } from './errors.ts';
import { checkResults, fileErrorKinds, ownershipWire } from './internal/files-wire.ts';
import type { Requester } from './internal/requester.ts';
import type { FileInfo, ListFilesOptions, MakeDirOptions, RemovePathOptions } from './types.ts';

interface FileInfoWire {
  path: string;
  name: string;
  type: string;
  size?: number;
  permissions: string;
  'last-modified': string;
  'user-id'?: number | null;
  user?: string;
  'group-id'?: number | null;
  group?: string;
}

/**
 * Lists a directory's entries (or, for a file or with `itself`, the entry itself).
 * Throws PathError (`not-found`, `permission-denied`, `generic-file-error`) when Pebble cannot
 * read the path, APIError for a refused request (a relative path, a bad pattern).
 */
export async function listFiles(
  rq: Requester,
  path: string,
  options: ListFilesOptions = {},
): Promise<FileInfo[]> {
  let result: unknown;
  try {
    ({ result } = await rq.sync({
      method: 'GET',
      path: '/v1/files',
      query: {
        action: 'list',
        path,
        pattern: options.pattern || undefined,
        itself: options.itself ? 'true' : undefined,
      },
      signal: options.signal,
    }));
  } catch (error) {
    if (error instanceof APIError && error.kind !== undefined && fileErrorKinds.has(error.kind)) {
      throw new PathError(path, error.kind, error.message);
    }
    throw error;
  }
  if (!Array.isArray(result)) throw new ProtocolError(`cannot list ${path}: answer is not a list`);
  return (result as FileInfoWire[]).map(toFileInfo);
}

function toFileInfo(wire: FileInfoWire): FileInfo {
  const permissions = Number.parseInt(wire.permissions, 8);
  if (Number.isNaN(permissions)) {
    throw new ProtocolError(
      `cannot read ${wire.path}: bad permissions ${JSON.stringify(wire.permissions)}`,
    );
  }
  const info: FileInfo = {
    path: wire.path,
    name: wire.name,
    type: wire.type,
    permissions,
    lastModified: new Date(wire['last-modified']),
  };
  if (typeof wire.size === 'number') info.size = wire.size;
  if (typeof wire['user-id'] === 'number') info.userId = wire['user-id'];
  if (wire.user) info.user = wire.user;
  if (typeof wire['group-id'] === 'number') info.groupId = wire['group-id'];
  if (wire.group) info.group = wire.group;
  return info;
}

/**
 * Creates a directory. With `makeParents`, missing parents are created too and an existing
 * directory is fine. Throws PathError for a per-path failure (exists, missing parent,
 * permission), APIError for a refused request.
 */
export async function makeDir(
  rq: Requester,
  path: string,
  options: MakeDirOptions = {},
): Promise<void> {
  const dir = {
    path,
    'make-parents': options.makeParents === true,
    ...ownershipWire(path, options),
  };
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/files',
    body: { action: 'make-dirs', dirs: [dir] },
    signal: options.signal,
  });
  checkResults('make directory', result, [path]);
}

/**
 * Removes a file or an empty directory; with `recursive`, a directory and everything below
 * it (and a missing path is then not an error). Throws PathError for a per-path failure
 * (not found, not empty, permission), APIError for a refused request.
 */
export async function removePath(
  rq: Requester,
  path: string,
  options: RemovePathOptions = {},
): Promise<void> {
  const { result } = await rq.sync({
    method: 'POST',
    path: '/v1/files',
    body: { action: 'remove', paths: [{ path, recursive: options.recursive === true }] },
    signal: options.signal,
  });
  checkResults('remove', result, [path]);
}
