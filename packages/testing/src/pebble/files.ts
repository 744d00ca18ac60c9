/**
 * An in-memory filesystem with Pebble's files-API behaviour: absolute paths only, modes and
 * owners, make-dirs, atomic writes, and per-path errors with the kinds and texts the daemon
 * gives (`stat /x: no such file or directory` → `not-found`, …). Permission bits are enforced
 * for a non-root caller, as the kernel would for the daemon's user.
 * @module
 */
import { randomInt } from 'node:crypto';
import { posix } from 'node:path';
import type { FileInfo, FileOwnership, ListFilesOptions, PathErrorKind } from '@charm-ts/pebble';
import { APIError, PathError } from '@charm-ts/pebble';

interface Node {
  type: 'file' | 'directory';
  permissions: number;
  userId: number;
  groupId: number;
  lastModified: Date;
  content?: Buffer;
  children?: Map<string, Node>;
}

/** A user known to the in-memory container (`/etc/passwd`). */
export interface ContainerUser {
  name: string;
  id: number;
  /** Primary group id. */
  groupId: number;
}

/** A group known to the in-memory container (`/etc/group`). */
export interface ContainerGroup {
  name: string;
  id: number;
}

/** A files error of one path: kind as Pebble maps errno, message as the daemon writes it. */
class FsError extends Error {
  constructor(
    readonly kind: PathErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const enoent = (op: string): FsError =>
  new FsError('not-found', `${op}: no such file or directory`);
const enotdir = (op: string): FsError =>
  new FsError('generic-file-error', `${op}: not a directory`);
const eacces = (op: string): FsError =>
  new FsError('permission-denied', `${op}: permission denied`);

interface Found {
  node?: Node;
  parent?: Node;
  name: string;
}

/** The filesystem of one in-memory container. */
export class MemoryFilesystem {
  readonly #root: Node;
  readonly #now: () => Date;
  readonly #uid: number;
  readonly users: ContainerUser[];
  readonly groups: ContainerGroup[];

  /** `uid` is the user the daemon runs as: 0 bypasses permission bits. */
  constructor(options: {
    now: () => Date;
    uid?: number;
    users?: ContainerUser[];
    groups?: ContainerGroup[];
  }) {
    this.#now = options.now;
    this.#uid = options.uid ?? 0;
    this.users = options.users ?? [{ name: 'root', id: 0, groupId: 0 }];
    this.groups = options.groups ?? [{ name: 'root', id: 0 }];
    this.#root = this.#node('directory', 0o755, this.#uid, 0);
  }

  #node(type: Node['type'], permissions: number, userId: number, groupId: number): Node {
    const node: Node = { type, permissions, userId, groupId, lastModified: this.#now() };
    if (type === 'directory') node.children = new Map();
    return node;
  }

  #can(node: Node, bit: 4 | 2 | 1): boolean {
    if (this.#uid === 0) return true;
    const shift = node.userId === this.#uid ? 6 : 0;
    return ((node.permissions >> shift) & bit) !== 0;
  }

  /** Walks to `path`; `op` prefixes errors as the syscall would. Undefined when the leaf is missing. */
  #lookup(path: string, op: string): Found {
    const parts = posix.normalize(path).split('/').filter(Boolean);
    let node: Node = this.#root;
    let parent: Node | undefined;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (node.type !== 'directory') throw enotdir(op);
      if (!this.#can(node, 1)) throw eacces(op);
      const child = node.children?.get(part);
      if (!child) {
        if (i < parts.length - 1) throw enoent(op);
        return { parent: node, name: part };
      }
      parent = node;
      node = child;
    }
    return parent ? { node, parent, name: parts.at(-1) as string } : { node, name: '' };
  }

  #info(path: string, node: Node): FileInfo {
    const info: FileInfo = {
      path,
      name: path === '/' ? '/' : posix.basename(path),
      type: node.type,
      permissions: node.permissions,
      lastModified: node.lastModified,
      userId: node.userId,
      groupId: node.groupId,
    };
    if (node.type === 'file') info.size = node.content?.length ?? 0;
    const user = this.users.find((u) => u.id === node.userId)?.name;
    if (user !== undefined) info.user = user;
    const group = this.groups.find((g) => g.id === node.groupId)?.name;
    if (group !== undefined) info.group = group;
    return info;
  }

  #wrap<T>(path: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof FsError) throw new PathError(path, error.kind, error.message);
      throw error;
    }
  }

  /** `listFiles`. Throws APIError 400 for a relative path, PathError for the path. */
  list(path: string, options: ListFilesOptions = {}): FileInfo[] {
    if (!path.startsWith('/')) throw new APIError(400, `path must be absolute, got "${path}"`);
    return this.#wrap(path, () => {
      const { node } = this.#lookup(path, `stat ${path}`);
      if (!node) throw enoent(`stat ${path}`);
      let entries: Array<[string, Node]>;
      if (node.type !== 'directory' || options.itself) {
        entries = [[posix.normalize(path), node]];
      } else {
        if (!this.#can(node, 4)) throw eacces(`open ${path}`);
        const dir = posix.normalize(path);
        entries = [...(node.children as Map<string, Node>)]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, child]) => [posix.join(dir, name), child]);
      }
      const pattern = options.pattern ? globToRegExp(options.pattern) : undefined;
      return entries
        .filter(([full]) => !pattern || pattern.test(posix.basename(full)))
        .map(([full, child]) => this.#info(full, child));
    });
  }

  /** Reads a regular file. Throws PathError. */
  read(path: string): Buffer {
    return this.#wrap(path, () => {
      if (!path.startsWith('/'))
        throw new FsError('generic-file-error', `paths must be absolute, got "${path}"`);
      const { node } = this.#lookup(path, `stat ${path}`);
      if (!node) throw enoent(`stat ${path}`);
      if (node.type !== 'file') {
        throw new FsError('generic-file-error', `can only read a regular file: "${path}"`);
      }
      if (!this.#can(node, 4)) throw eacces(`open ${path}`);
      return node.content ?? Buffer.alloc(0);
    });
  }

  /** Resolves `user`/`group` names and ids as Pebble's `NormalizeUidGid`. */
  #owner(o: FileOwnership): { userId?: number; groupId?: number } {
    if (o.userId === undefined && !o.user && o.groupId === undefined && !o.group) return {};
    let uid = o.userId;
    let gid = o.groupId;
    const fail = (message: string): never => {
      throw new FsError('generic-file-error', `cannot look up user and group: ${message}`);
    };
    if (o.user) {
      const user =
        this.users.find((u) => u.name === o.user) ?? fail(`user: unknown user ${o.user}`);
      if (uid !== undefined && uid !== user.id) {
        fail(`user "${o.user}" UID (${user.id}) does not match user-id (${uid})`);
      }
      uid = user.id;
    }
    if (o.group) {
      const group =
        this.groups.find((g) => g.name === o.group) ?? fail(`group: unknown group ${o.group}`);
      if (gid !== undefined && gid !== group.id) {
        fail(`group "${o.group}" GID (${group.id}) does not match group-id (${gid})`);
      }
      gid = group.id;
    }
    if (gid === undefined && uid !== undefined) {
      gid = (this.users.find((u) => u.id === uid) ?? fail(`user: unknown userid ${uid}`)).groupId;
    }
    if (uid === undefined) fail('must specify user, not just group');
    return { userId: uid as number, groupId: gid as number };
  }

  #mode(permissions: number | undefined, fallback: number): number {
    if (permissions === undefined) return fallback;
    if (!Number.isInteger(permissions) || permissions < 0 || permissions > 0o777) {
      throw new FsError(
        'generic-file-error',
        `permissions must be a 3-digit octal string, got "${permissions.toString(8)}"`,
      );
    }
    return permissions;
  }

  /** `mkdir -p` with Pebble's `MakeParents`/`ExistOK`. */
  #mkdirAll(path: string, mode: number, owner: { userId?: number; groupId?: number }): void {
    const parts = posix.normalize(path).split('/').filter(Boolean);
    let node = this.#root;
    let at = '';
    for (const part of parts) {
      at += `/${part}`;
      if (node.type !== 'directory') throw enotdir(`mkdir ${posix.dirname(at)}`);
      let child = node.children?.get(part);
      if (!child) {
        if (!this.#can(node, 2)) throw eacces(`mkdir ${at}`);
        child = this.#node('directory', mode, owner.userId ?? this.#uid, owner.groupId ?? 0);
        node.children?.set(part, child);
      }
      node = child;
    }
    if (node.type !== 'directory') throw enotdir(`mkdir ${at}`);
  }

  /** `makeDir`. Throws PathError. */
  makeDir(path: string, options: FileOwnership & { makeParents?: boolean } = {}): void {
    this.#wrap(path, () => {
      if (!path.startsWith('/'))
        throw new FsError('generic-file-error', `paths must be absolute, got "${path}"`);
      const mode = this.#mode(options.permissions, 0o755);
      const owner = this.#owner(options);
      if (options.makeParents) return this.#mkdirAll(path, mode, owner);
      const { node, parent, name } = this.#lookup(path, `mkdir ${path}.mkdir-new`);
      if (node) throw new FsError('generic-file-error', `mkdir ${path}: file exists`);
      if (parent?.type !== 'directory') throw enotdir(`mkdir ${path}.mkdir-new`);
      if (!this.#can(parent, 2)) throw eacces(`mkdir ${path}.mkdir-new`);
      parent.children?.set(
        name,
        this.#node('directory', mode, owner.userId ?? this.#uid, owner.groupId ?? 0),
      );
    });
  }

  /** An atomic write (temp file then rename), as `push`. Throws PathError. */
  write(path: string, content: Buffer, options: FileOwnership & { makeDirs?: boolean } = {}): void {
    this.#wrap(path, () => {
      if (!path.startsWith('/'))
        throw new FsError('generic-file-error', `paths must be absolute, got "${path}"`);
      const owner = this.#owner(options);
      if (options.makeDirs) {
        try {
          this.#mkdirAll(posix.dirname(path), 0o755, owner);
        } catch (error) {
          if (error instanceof FsError)
            throw new FsError(error.kind, `cannot create directory: ${error.message}`);
          throw error;
        }
      }
      const mode = this.#mode(options.permissions, 0o644);
      const temp = `${path}.${randomInt(1e9, 4e9)}~`;
      const { node, parent, name } = this.#lookup(path, `open ${temp}`);
      if (parent?.type !== 'directory') throw enotdir(`open ${temp}`);
      if (!this.#can(parent, 2)) throw eacces(`open ${temp}`);
      if (node?.type === 'directory') {
        throw new FsError('generic-file-error', `rename ${temp} ${path}: file exists`);
      }
      const file = this.#node('file', mode, owner.userId ?? this.#uid, owner.groupId ?? 0);
      file.content = content;
      parent.children?.set(name, file);
    });
  }

  /** `removePath`: `os.Remove`, or `os.RemoveAll` with `recursive`. Throws PathError. */
  remove(path: string, recursive = false): void {
    this.#wrap(path, () => {
      if (!path.startsWith('/'))
        throw new FsError('generic-file-error', `paths must be absolute, got "${path}"`);
      let found: Found;
      try {
        found = this.#lookup(path, `remove ${path}`);
      } catch (error) {
        if (recursive && error instanceof FsError && error.kind === 'not-found') return;
        throw error;
      }
      const { node, parent, name } = found;
      if (!node) {
        if (recursive) return;
        throw enoent(`remove ${path}`);
      }
      if (!parent)
        throw new FsError('generic-file-error', `remove ${path}: device or resource busy`);
      if (!recursive && node.type === 'directory' && (node.children?.size ?? 0) > 0) {
        throw new FsError('generic-file-error', `remove ${path}: directory not empty`);
      }
      if (!this.#can(parent, 2)) throw eacces(`remove ${path}`);
      parent.children?.delete(name);
    });
  }

  /** Every regular file's content by path (for a test's output state). */
  dump(): Record<string, Buffer> {
    const out: Record<string, Buffer> = {};
    const walk = (node: Node, path: string): void => {
      if (node.type === 'file') out[path || '/'] = node.content ?? Buffer.alloc(0);
      for (const [name, child] of node.children ?? []) walk(child, `${path}/${name}`);
    };
    walk(this.#root, '');
    return out;
  }

  /** The type of what is at `path`, or undefined when nothing is (or it cannot be reached). */
  typeOf(path: string): 'file' | 'directory' | undefined {
    try {
      return this.#lookup(path, 'stat').node?.type;
    } catch {
      return undefined;
    }
  }

  /** Whether `path` is an existing directory (for exec's working directory). */
  isDir(path: string): boolean {
    try {
      return this.#lookup(path, 'stat').node?.type === 'directory';
    } catch {
      return false;
    }
  }
}

/** Go's `path.Match` for the common forms: `*`, `?`, `[...]`. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new FsError('generic-file-error', 'syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
