/**
 * The shapes of `/v1/files` on the wire, shared by the files modules: the ownership fields a
 * request carries (push, make-dirs), and the decoding of what Pebble answers (the per-path
 * result list, the JSON envelope of a pull's "response" part, a refused pull's error
 * envelope), each Pebble error kind becoming a `PathError` or an `APIError`.
 * @module
 */
import { APIError, PathError, ProtocolError } from '../errors.ts';
import type { FileOwnership } from '../types.ts';

interface FileResultWire {
  path: string;
  error?: { message?: string; kind?: string } | null;
}

interface OwnershipWire {
  permissions?: string;
  'user-id'?: number;
  user?: string;
  'group-id'?: number;
  group?: string;
}

/** The error kinds Pebble reports for one path. */
export const fileErrorKinds = new Set(['not-found', 'permission-denied', 'generic-file-error']);

/** Pebble wants exactly three octal digits; anything else would be refused or misread. */
function permissionsWire(path: string, permissions: number | undefined): string | undefined {
  if (permissions === undefined) return undefined;
  if (!Number.isInteger(permissions) || permissions < 0 || permissions > 0o777) {
    throw new PathError(
      path,
      'generic-file-error',
      `permissions ${String(permissions)} are not between 0o000 and 0o777 (Pebble takes no setuid, setgid or sticky bits)`,
    );
  }
  return permissions.toString(8).padStart(3, '0');
}

/** The ownership and permission fields of a push or make-dirs item, as Pebble reads them. */
export function ownershipWire(path: string, options: FileOwnership): OwnershipWire {
  const wire: OwnershipWire = {};
  const permissions = permissionsWire(path, options.permissions);
  if (permissions !== undefined) wire.permissions = permissions;
  // Zero is a real id (root): test for undefined, never for truthiness.
  if (options.userId !== undefined) wire['user-id'] = options.userId;
  if (options.user !== undefined) wire.user = options.user;
  if (options.groupId !== undefined) wire['group-id'] = options.groupId;
  if (options.group !== undefined) wire.group = options.group;
  return wire;
}

/** Throws the first per-path error in a files result list as a PathError. */
export function checkResults(verb: string, result: unknown, paths: readonly string[]): void {
  if (!Array.isArray(result))
    throw new ProtocolError(`cannot ${verb} ${paths.join(', ')}: answer is not a list`);
  for (const item of result as FileResultWire[]) {
    if (item?.error) {
      throw new PathError(
        item.path,
        item.error.kind || 'generic-file-error',
        item.error.message ?? 'failed',
      );
    }
  }
}

/** The `result` of the JSON envelope in a pull's "response" part. */
export function envelopeResult(path: string, text: string): unknown {
  let envelope: { type?: string; result?: unknown };
  try {
    envelope = JSON.parse(text) as typeof envelope;
  } catch (error) {
    throw new ProtocolError(`cannot pull ${path}: the "response" part is not JSON`, {
      cause: error,
    });
  }
  return envelope.result;
}

/** The error a refused pull (not 200, or not multipart) stands for. */
export function refusal(path: string, status: number, text: string): Error {
  try {
    const envelope = JSON.parse(text) as { result?: { message?: string; kind?: string } };
    const message = envelope.result?.message ?? `HTTP ${status}`;
    return new APIError(status, `cannot pull ${path}: ${message}`, envelope.result?.kind);
  } catch {
    return new ProtocolError(
      `cannot pull ${path}: Pebble answered HTTP ${status} without a multipart body`,
    );
  }
}
