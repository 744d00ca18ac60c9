/**
 * secret-add, secret-get, secret-set, secret-info-get, secret-grant, secret-revoke,
 * secret-remove, secret-ids: owners, leadership for application secrets, grants, revisions
 * (a consumer tracks one until it refreshes), labels, expiry and rotation, with Juju's texts.
 * Contents never reach an error message.
 * @module
 */
import type { HookContext } from './context.ts';
import { NOT_LEADER, PERMISSION_DENIED, runError, usageError } from './errors.ts';
import type { JujuRelation, JujuSecret } from './model.ts';
import { bareSecretId, latestRevision } from './model.ts';
import { nextRotation, parseExpiry, ROTATE_POLICIES } from './secret-times.ts';

/** Metadata of a secret, as secret-add and secret-set take it. */
export interface SecretMetadataInput {
  label?: string | undefined;
  description?: string | undefined;
  /** A Go duration (`24h`) from now, or an RFC 3339 time. */
  expire?: string | undefined;
  /** never, hourly, daily, weekly, monthly, quarterly or yearly. */
  rotate?: string | undefined;
}

/** What secret-info-get answers. */
export interface SecretInfoRecord {
  readonly id: string;
  readonly revision: number;
  readonly owner: 'application' | 'unit';
  readonly label?: string;
  readonly description?: string;
  readonly expiry?: string;
  readonly rotation?: string;
  readonly rotates?: string;
}

const KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

/** Whether this unit owns `secret` (an application secret: any unit of the application). */
export function owns(ctx: HookContext, secret: JujuSecret): boolean {
  return secret.ownerKind === 'unit'
    ? secret.owner === ctx.unit.name
    : secret.owner === ctx.app.name;
}

function granted(ctx: HookContext, secret: JujuSecret): boolean {
  return secret.grants.some((g) => g.subject === ctx.unit.name || g.subject === ctx.app.name);
}

function byId(ctx: HookContext, id: string): JujuSecret {
  const bare = bareSecretId(id);
  const secret = Object.values(ctx.draft.secrets).find((s) => bareSecretId(s.id) === bare);
  if (!secret) throw runError(`secret "${bare}" not found`);
  return secret;
}

/** An owned secret by id: `secret "<xid>" not found` for another's, as Juju's context answers. */
function ownedById(ctx: HookContext, id: string): JujuSecret {
  const secret = byId(ctx, id);
  if (!owns(ctx, secret)) throw runError(`secret "${bareSecretId(secret.id)}" not found`);
  return secret;
}

/** The secret `id` names, or the one `label` names (an owner's label or this unit's). */
function find(ctx: HookContext, id: string | undefined, label: string | undefined): JujuSecret {
  if (id !== undefined) return byId(ctx, id);
  const found = Object.values(ctx.draft.secrets).find(
    (s) => (owns(ctx, s) && s.label === label) || s.consumers[ctx.unit.name]?.label === label,
  );
  if (!found) throw runError(`secret with label "${label}" not found`);
  return found;
}

/** Application secrets are managed by the leader only. */
function requireManager(ctx: HookContext, secret: JujuSecret): void {
  if (secret.ownerKind === 'application' && !ctx.leader) throw runError(NOT_LEADER);
}

function checkContent(content: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(content)) {
    if (!KEY.test(key)) throw usageError(`invalid key "${key}"`);
  }
}

function applyMetadata(ctx: HookContext, secret: JujuSecret, meta: SecretMetadataInput): void {
  const now = ctx.host.now();
  if (meta.rotate !== undefined && !ROTATE_POLICIES.includes(meta.rotate)) {
    throw usageError(
      `invalid rotate policy "${meta.rotate}": use never, hourly, daily, weekly, monthly, quarterly or yearly`,
    );
  }
  const expire = meta.expire === undefined ? undefined : parseExpiry(meta.expire, now);
  if (meta.label !== undefined) secret.label = meta.label;
  if (meta.description !== undefined) secret.description = meta.description;
  if (expire !== undefined) {
    secret.expire = expire;
    delete secret.nextExpired;
  }
  if (meta.rotate !== undefined) {
    secret.rotate = meta.rotate;
    const next = nextRotation(meta.rotate, now);
    if (next) secret.nextRotate = next;
    else delete secret.nextRotate;
  }
}

/**
 * `secret-add`: a new secret owned by the application (default; leader only) or the unit.
 * Returns its id.
 * @throws JujuError exit 1 `this unit is not the leader`; exit 2 `missing secret value`,
 * `invalid key "K"`, a bad expiry or rotate policy.
 */
export function secretAdd(
  ctx: HookContext,
  content: Readonly<Record<string, string>>,
  options: SecretMetadataInput & { owner?: 'application' | 'unit' | undefined } = {},
): string {
  const ownerKind = options.owner ?? 'application';
  if (ownerKind === 'application' && !ctx.leader) throw runError(NOT_LEADER);
  if (Object.keys(content).length === 0) throw usageError('missing secret value');
  checkContent(content);
  const id = ctx.host.newSecretId();
  const secret: JujuSecret = {
    id,
    ownerKind,
    owner: ownerKind === 'unit' ? ctx.unit.name : ctx.app.name,
    revisions: [{ revision: 1, content: { ...content } }],
    grants: [],
    consumers: {},
  };
  applyMetadata(ctx, secret, options);
  ctx.draft.secrets[id] = secret;
  return id;
}

/** Which secret `secret-get` reads, and how. */
export interface SecretGetInput {
  id?: string | undefined;
  label?: string | undefined;
  /** Read the latest revision this once, without tracking it. */
  peek?: boolean | undefined;
  /** Read the latest revision and track it from now on. */
  refresh?: boolean | undefined;
}

/**
 * `secret-get`: the content an owner sees (the latest revision) or a consumer sees (the revision
 * it tracks: the first read pins one, `refresh` moves to the latest, `peek` reads it once). An
 * id and a label together set the label (the owner's, or this consumer's).
 * @throws JujuError exit 2 `require either a secret URI or label`; exit 1 `secret "<xid>" not
 * found`, `secret with label "L" not found`, `permission denied` for a secret not granted.
 */
export function secretGet(ctx: HookContext, input: SecretGetInput): Record<string, string> {
  const { id, label } = input;
  if (id === undefined && label === undefined) {
    throw usageError('require either a secret URI or label');
  }
  const secret = find(ctx, id, id === undefined ? label : undefined);
  let revision: number;
  if (owns(ctx, secret)) {
    if (id !== undefined && label !== undefined) secret.label = label;
    revision = latestRevision(secret);
  } else {
    if (!granted(ctx, secret)) throw runError(PERMISSION_DENIED);
    const consumer = secret.consumers[ctx.unit.name];
    if (input.peek) revision = latestRevision(secret);
    else if (!consumer || input.refresh) {
      revision = latestRevision(secret);
      secret.consumers[ctx.unit.name] = { ...consumer, revision };
    } else revision = consumer.revision;
    if (id !== undefined && label !== undefined) {
      const record = secret.consumers[ctx.unit.name] ?? { revision };
      secret.consumers[ctx.unit.name] = { ...record, label };
    }
  }
  const found = secret.revisions.find((r) => r.revision === revision);
  if (!found) {
    throw runError(`secret "${bareSecretId(secret.id)}" revision ${revision} not found`);
  }
  return { ...found.content };
}

/**
 * `secret-set`: new content makes a new revision (and restarts the rotation period); metadata
 * alone does not.
 * @throws JujuError exit 1 `secret "<xid>" not found`, `permission denied` for another's
 * secret, `this unit is not the leader` for an application secret.
 */
export function secretSet(
  ctx: HookContext,
  id: string,
  options: SecretMetadataInput & { content?: Readonly<Record<string, string>> | undefined },
): void {
  const secret = byId(ctx, id);
  if (!owns(ctx, secret)) throw runError(PERMISSION_DENIED);
  requireManager(ctx, secret);
  const content = options.content ?? {};
  checkContent(content);
  applyMetadata(ctx, secret, options);
  if (Object.keys(content).length === 0) return;
  secret.revisions.push({ revision: latestRevision(secret) + 1, content: { ...content } });
  ctx.draft.newRevisions.add(secret.id);
  const next = secret.rotate ? nextRotation(secret.rotate, ctx.host.now()) : undefined;
  if (next) secret.nextRotate = next;
  // A new revision has no expiry of its own unless one is given with it.
  if (options.expire === undefined) delete secret.expire;
  delete secret.nextExpired;
}

/**
 * `secret-info-get`: the metadata of a secret this unit or its application owns, by id or by
 * the owner's label.
 * @throws JujuError exit 2 `require either a secret URI or label`, `specify either a secret URI
 * or label but not both`; exit 1 `secret "<xid or label>" not found` (also for a secret this
 * unit does not own).
 */
export function secretInfoGet(
  ctx: HookContext,
  lookup: { id?: string | undefined; label?: string | undefined },
): SecretInfoRecord {
  if (lookup.id === undefined && lookup.label === undefined) {
    throw usageError('require either a secret URI or label');
  }
  if (lookup.id !== undefined && lookup.label !== undefined) {
    throw usageError('specify either a secret URI or label but not both');
  }
  const want = lookup.id === undefined ? lookup.label : bareSecretId(lookup.id);
  const secret = Object.values(ctx.draft.secrets).find(
    (s) =>
      owns(ctx, s) &&
      (lookup.id === undefined ? s.label === lookup.label : bareSecretId(s.id) === want),
  );
  if (!secret) throw runError(`secret "${want}" not found`);
  return {
    id: secret.id,
    revision: latestRevision(secret),
    owner: secret.ownerKind,
    ...(secret.label !== undefined ? { label: secret.label } : {}),
    ...(secret.description !== undefined ? { description: secret.description } : {}),
    ...(secret.rotate !== undefined ? { rotation: secret.rotate } : {}),
    ...(secret.expire !== undefined ? { expiry: secret.expire } : {}),
    ...(secret.nextRotate !== undefined ? { rotates: secret.nextRotate } : {}),
  };
}

/**
 * `secret-grant`: grants the relation's remote application, or one of its units.
 * @throws JujuError exit 1 `secret "<xid>" not found` (not owned), `this unit is not the
 * leader`; the relation errors of `-r`.
 */
export function secretGrant(
  ctx: HookContext,
  id: string,
  rel: JujuRelation,
  unit?: string | undefined,
): void {
  const secret = ownedById(ctx, id);
  requireManager(ctx, secret);
  const subject = unit ?? ctx.remoteApp(rel);
  if (!secret.grants.some((g) => g.relationId === rel.id && g.subject === subject)) {
    secret.grants.push({ relationId: rel.id, subject });
  }
}

/**
 * `secret-revoke`: removes grants through a relation, to an application or to a unit (all that
 * match what is given).
 * @throws JujuError exit 1 `permission denied` for another's secret, `this unit is not the
 * leader`.
 */
export function secretRevoke(
  ctx: HookContext,
  id: string,
  options: {
    relation?: JujuRelation | undefined;
    app?: string | undefined;
    unit?: string | undefined;
  },
): void {
  const secret = byId(ctx, id);
  if (!owns(ctx, secret)) throw runError(PERMISSION_DENIED);
  requireManager(ctx, secret);
  secret.grants = secret.grants.filter(
    (g) =>
      !(
        (options.relation === undefined || g.relationId === options.relation.id) &&
        (options.unit === undefined || g.subject === options.unit) &&
        (options.app === undefined || g.subject === options.app)
      ),
  );
}

/**
 * `secret-remove`: one revision, or the whole secret (also when its last revision goes).
 * @throws JujuError exit 1 `permission denied` for another's secret, `this unit is not the
 * leader`.
 */
export function secretRemove(ctx: HookContext, id: string, revision?: number | undefined): void {
  const secret = byId(ctx, id);
  if (!owns(ctx, secret)) throw runError(PERMISSION_DENIED);
  requireManager(ctx, secret);
  const removed = revision === undefined ? secret.revisions.map((r) => r.revision) : [revision];
  if (revision !== undefined && revision === latestRevision(secret)) {
    delete secret.expire;
    delete secret.nextExpired;
  }
  secret.revisions = secret.revisions.filter((r) => !removed.includes(r.revision));
  for (const rev of removed) ctx.draft.removedRevisions.push({ id: secret.id, revision: rev });
  if (secret.revisions.length === 0) delete ctx.draft.secrets[secret.id];
}

/** `secret-ids`: the secrets this unit or its application owns. */
export function secretIds(ctx: HookContext): string[] {
  return Object.values(ctx.draft.secrets)
    .filter((s) => owns(ctx, s))
    .map((s) => s.id);
}
