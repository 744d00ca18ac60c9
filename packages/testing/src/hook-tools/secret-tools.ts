/**
 * The secret-* hook tools over a World: ownership, leadership for application secrets, revision
 * tracking (get pins, peek reads the latest, refresh tracks it), grants, Juju's error texts.
 * @module
 */
import type {
  RelationRef,
  SecretAddOptions,
  SecretGetOptions,
  SecretInfo,
  SecretLookup,
  SecretRevokeOptions,
  SecretSetOptions,
} from '@charm-ts/ops';
import { randomSecretId } from '../state/builders.ts';
import { latestRevision, type World, type WorldRelation, type WorldSecret } from './world.ts';

/** What a tool function needs from MemoryHookTools. */
export interface ToolKit {
  readonly world: World;
  call(method: string, args: unknown[]): void;
  fail(argv: string[], message: string, exitCode?: number): never;
  relation(tool: string, ref: RelationRef): WorldRelation;
}

/** The secret by id (any `secret:` form) or label; `secret "…" not found` otherwise. */
function findSecret(t: ToolKit, tool: string, lookup: SecretLookup): WorldSecret {
  const argv = [
    tool,
    ...(lookup.id ? [lookup.id] : []),
    ...(lookup.label ? ['--label', lookup.label] : []),
  ];
  let found: WorldSecret | undefined;
  if (lookup.id) {
    const bare = lookup.id.replace(/^secret:(\/\/[^/]+\/)?/, '');
    found = [...t.world.secrets.values()].find(
      (s) => s.id.replace(/^secret:(\/\/[^/]+\/)?/, '') === bare,
    );
  } else if (lookup.label) {
    found = [...t.world.secrets.values()].find((s) => s.label === lookup.label);
  }
  if (!found) t.fail(argv, `secret "${lookup.id ?? lookup.label ?? ''}" not found`);
  return found;
}

/** Owners only; application secrets need the leader. */
function requireOwner(t: ToolKit, tool: string, secret: WorldSecret): void {
  if (secret.owner === undefined) t.fail([tool, secret.id], 'permission denied');
  if (secret.owner === 'app' && !t.world.leader)
    t.fail([tool, secret.id], 'this unit is not the leader');
}

/** `secret-add`: application secrets need the leader (`this unit is not the leader`). */
export async function secretAdd(
  t: ToolKit,

  content: Record<string, string>,
  options: SecretAddOptions = {},
): Promise<string> {
  t.call('secretAdd', [Object.keys(content), { ...options }]);
  const owner = options.owner === 'unit' ? 'unit' : 'app';
  if (owner === 'app' && !t.world.leader)
    t.fail(['secret-add', '--owner', 'application'], 'this unit is not the leader');
  const id = `secret:${randomSecretId()}`;
  t.world.secrets.set(id, {
    id,
    owner,
    revisions: new Map([[1, { ...content }]]),
    tracked: 1,
    label: options.label,
    description: options.description,
    expire: options.expire,
    rotate: options.rotate,
    grants: new Map(),
  });
  return id;
}

/** `secret-get`: the tracked revision; `peek` reads the latest, `refresh` tracks it; id + label sets the label. */
export async function secretGet(
  t: ToolKit,
  options: SecretGetOptions,
): Promise<Record<string, string>> {
  t.call('secretGet', [{ ...options }]);
  const secret = findSecret(t, 'secret-get', options);
  // An id and a label together: the label is set on the secret, as Juju does for consumers.
  if (options.id && options.label) secret.label = options.label;
  const latest = latestRevision(secret);
  let revision = secret.tracked;
  if (options.refresh) secret.tracked = revision = latest;
  else if (options.peek) revision = latest;
  const content = secret.revisions.get(revision);
  if (!content)
    t.fail(['secret-get', secret.id], `secret "${secret.id}" revision ${revision} not found`);
  return { ...content };
}

/** `secret-set`: owners only; new content is a new revision. */
export async function secretSet(t: ToolKit, id: string, options: SecretSetOptions): Promise<void> {
  t.call('secretSet', [
    id,
    { ...options, content: options.content && Object.keys(options.content) },
  ]);
  const secret = findSecret(t, 'secret-set', { id });
  requireOwner(t, 'secret-set', secret);
  if (options.content) secret.revisions.set(latestRevision(secret) + 1, { ...options.content });
  if (options.label !== undefined) secret.label = options.label;
  if (options.description !== undefined) secret.description = options.description;
  if (options.expire !== undefined) secret.expire = options.expire;
  if (options.rotate !== undefined) secret.rotate = options.rotate;
}

/** `secret-grant`: owners only; grants the relation's app, or one unit. */
export async function secretGrant(
  t: ToolKit,
  id: string,
  relation: RelationRef,
  unit?: string,
): Promise<void> {
  t.call('secretGrant', [id, relation, unit]);
  const secret = findSecret(t, 'secret-grant', { id });
  requireOwner(t, 'secret-grant', secret);
  const rel = t.relation('secret-grant', relation);
  const grants = secret.grants.get(rel.id) ?? new Set<string>();
  grants.add(unit ?? rel.remoteApp);
  secret.grants.set(rel.id, grants);
}

/** `secret-revoke`: owners only. */
export async function secretRevoke(
  t: ToolKit,
  id: string,
  options: SecretRevokeOptions,
): Promise<void> {
  t.call('secretRevoke', [id, { ...options }]);
  const secret = findSecret(t, 'secret-revoke', { id });
  requireOwner(t, 'secret-revoke', secret);
  if (options.relation) {
    const rel = t.relation('secret-revoke', options.relation);
    const who = options.unit ?? options.app;
    if (who === undefined) secret.grants.delete(rel.id);
    else secret.grants.get(rel.id)?.delete(who);
  } else {
    for (const names of secret.grants.values()) {
      if (options.app) names.delete(options.app);
      if (options.unit) names.delete(options.unit);
    }
  }
}

/** `secret-remove`: one revision, or all (the secret is gone when none is left). */
export async function secretRemove(t: ToolKit, id: string, revision?: number): Promise<void> {
  t.call('secretRemove', [id, revision]);
  const secret = findSecret(t, 'secret-remove', { id });
  requireOwner(t, 'secret-remove', secret);
  const revisions = revision === undefined ? [...secret.revisions.keys()] : [revision];
  for (const rev of revisions) {
    secret.revisions.delete(rev);
    t.world.removedSecretRevisions.push({ id: secret.id, revision: rev });
  }
  if (secret.revisions.size === 0) t.world.secrets.delete(secret.id);
}

/** `secret-ids`: the secrets this app or unit owns. */
export async function secretIds(t: ToolKit): Promise<string[]> {
  t.call('secretIds', []);
  return [...t.world.secrets.values()].filter((s) => s.owner !== undefined).map((s) => s.id);
}

/** `secret-info-get`: owners only (`permission denied` otherwise). */
export async function secretInfoGet(t: ToolKit, lookup: SecretLookup): Promise<SecretInfo> {
  t.call('secretInfoGet', [{ ...lookup }]);
  const secret = findSecret(t, 'secret-info-get', lookup);
  if (secret.owner === undefined) t.fail(['secret-info-get', secret.id], 'permission denied');
  const info: SecretInfo = { id: secret.id, revision: latestRevision(secret) };
  if (secret.label !== undefined) info.label = secret.label;
  if (secret.description !== undefined) info.description = secret.description;
  if (secret.expire !== undefined) info.expiry = secret.expire;
  if (secret.rotate !== undefined) info.rotation = secret.rotate;
  return info;
}
