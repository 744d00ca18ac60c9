/**
 * secret-add, secret-get, secret-set, secret-info-get, secret-grant, secret-revoke,
 * secret-remove, secret-ids. Contents never reach a log or an error message.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import type { SecretState } from '../model.ts';
import { FORMAT_FLAGS, parseArgs, ToolError } from './args.ts';
import { isLeader, type ToolContext } from './context.ts';
import { render } from './format.ts';
import { relationFor, remoteApp } from './relation.ts';

const KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;
const META_FLAGS = [
  { name: 'label' },
  { name: 'description' },
  { name: 'expire' },
  { name: 'rotate' },
  { name: 'owner' },
  { name: 'file' },
];

/** A new secret id in Juju's form: `secret:` and 20 base32hex characters. */
export function newSecretId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return `secret:${[...randomBytes(20)].map((b) => alphabet[b % 32]).join('')}`;
}

function bareId(id: string): string {
  return id.replace(/^secret:(\/\/[^/]+\/)?/, '').replace(/^secret:/, '');
}

function find(ctx: ToolContext, id: string | undefined, label?: string): SecretState {
  if (id !== undefined) {
    const secret = Object.values(ctx.draft.secrets).find((s) => bareId(s.id) === bareId(id));
    if (!secret) throw new ToolError(1, `secret "${bareId(id)}" not found`);
    return secret;
  }
  const byLabel = Object.values(ctx.draft.secrets).find(
    (s) => (owns(ctx, s) && s.label === label) || s.consumers[ctx.unit.name]?.label === label,
  );
  if (!byLabel) throw new ToolError(1, `secret with label "${label}" not found`);
  return byLabel;
}

function owns(ctx: ToolContext, secret: SecretState): boolean {
  return secret.ownerKind === 'unit'
    ? secret.owner === ctx.unit.name
    : secret.owner === ctx.app.name;
}

function canManage(ctx: ToolContext, secret: SecretState): boolean {
  return secret.ownerKind === 'unit'
    ? secret.owner === ctx.unit.name
    : owns(ctx, secret) && isLeader(ctx);
}

function granted(ctx: ToolContext, secret: SecretState): boolean {
  return secret.grants.some(
    (g) =>
      ctx.draft.relations[String(g.relationId)] !== undefined &&
      (g.subject === ctx.unit.name || g.subject === ctx.app.name),
  );
}

function latest(secret: SecretState): number {
  return secret.revisions.reduce((max, r) => Math.max(max, r.revision), 0);
}

function content(ctx: ToolContext, positional: string[], file: string | boolean | undefined) {
  const out: Record<string, string> = {};
  if (typeof file === 'string') {
    if (file !== '-') throw new ToolError(1, 'only --file - is supported by charm-sim');
    const data = parse(ctx.stdin ?? '') ?? {};
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) out[k] = String(v);
  }
  for (const arg of positional) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ToolError(2, `expected "key=value", got "${arg.split('=')[0]}"`);
    out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  const decoded: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(out)) {
    const [key, encoding] = rawKey.split('#') as [string, string | undefined];
    if (!KEY.test(key)) throw new ToolError(2, `invalid key "${key}"`);
    decoded[key] = encoding === 'base64' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  return decoded;
}

const ROTATE_MS: Record<string, number> = {
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 30 * 86_400_000,
  quarterly: 90 * 86_400_000,
  yearly: 365 * 86_400_000,
};

/** When a rotation policy next falls due from `now`; undefined for `never`. */
export function nextRotation(policy: string, now: number): string | undefined {
  const every = ROTATE_MS[policy];
  return every === undefined ? undefined : new Date(now + every).toISOString();
}

/**
 * Parses `--expire`: a Go duration (`30m`, `24h`, `1h30m`) from now, or an RFC 3339 time.
 * @throws ToolError exit 2 for anything else.
 */
export function parseExpiry(value: string, now: number): string {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join('') === value) {
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] as string] ?? 0), 0);
    return new Date(now + ms).toISOString();
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new ToolError(2, `invalid expiry "${value}": use a duration (24h) or an RFC 3339 time`);
  return new Date(time).toISOString();
}

function applyMeta(secret: SecretState, flags: Record<string, string | boolean>): void {
  const now = Date.now();
  if (typeof flags.label === 'string') secret.label = flags.label;
  if (typeof flags.description === 'string') secret.description = flags.description;
  if (typeof flags.expire === 'string') {
    secret.expire = parseExpiry(flags.expire, now);
    delete secret.nextExpired;
  }
  if (typeof flags.rotate === 'string') {
    if (flags.rotate !== 'never' && ROTATE_MS[flags.rotate] === undefined) {
      throw new ToolError(
        2,
        `invalid rotate policy "${flags.rotate}": use never, hourly, daily, weekly, monthly, quarterly or yearly`,
      );
    }
    secret.rotate = flags.rotate;
    const next = nextRotation(flags.rotate, now);
    if (next) secret.nextRotate = next;
    else delete secret.nextRotate;
  }
}

function secretAdd(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, META_FLAGS);
  const ownerKind = flags.owner === 'unit' ? 'unit' : 'application';
  if (typeof flags.owner === 'string' && !['unit', 'application'].includes(flags.owner)) {
    throw new ToolError(2, `invalid value "${flags.owner}" for option --owner`);
  }
  if (ownerKind === 'application' && !isLeader(ctx))
    throw new ToolError(1, 'this unit is not the leader');
  const data = content(ctx, positional, flags.file);
  if (Object.keys(data).length === 0) throw new ToolError(2, 'missing secret value');
  const id = newSecretId();
  const secret: SecretState = {
    id,
    ownerKind,
    owner: ownerKind === 'unit' ? ctx.unit.name : ctx.app.name,
    revisions: [{ revision: 1, content: data }],
    grants: [],
    consumers: {},
  };
  applyMeta(secret, flags);
  ctx.draft.secrets[id] = secret;
  return `${id}\n`;
}

function secretSet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, META_FLAGS);
  const [id, ...pairs] = positional;
  if (id === undefined) throw new ToolError(2, 'missing secret URI');
  const secret = find(ctx, id);
  if (!canManage(ctx, secret)) throw new ToolError(1, 'permission denied');
  applyMeta(secret, flags);
  const data = content(ctx, pairs, flags.file);
  if (Object.keys(data).length > 0) {
    secret.revisions.push({ revision: latest(secret) + 1, content: data });
    ctx.draft.newRevisions.add(secret.id);
    // Rotating means adding a revision: the next rotation is a full period away again.
    const next = secret.rotate ? nextRotation(secret.rotate, Date.now()) : undefined;
    if (next) secret.nextRotate = next;
    if (typeof flags.expire !== 'string') delete secret.expire;
    delete secret.nextExpired;
  }
  return '';
}

function secretGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'label' },
    { name: 'peek', bool: true },
    { name: 'refresh', bool: true },
  ]);
  const [id, key] = positional;
  const label = typeof flags.label === 'string' ? flags.label : undefined;
  if (id === undefined && label === undefined)
    throw new ToolError(2, 'require either a secret URI or label');
  const secret = find(ctx, id, id === undefined ? label : undefined);
  let revision: number;
  if (owns(ctx, secret)) {
    if (id !== undefined && label !== undefined) secret.label = label;
    revision = latest(secret);
  } else {
    if (!granted(ctx, secret)) throw new ToolError(1, 'permission denied');
    const consumer = secret.consumers[ctx.unit.name];
    if (flags.peek) revision = latest(secret);
    else if (!consumer || flags.refresh) {
      revision = latest(secret);
      secret.consumers[ctx.unit.name] = { ...consumer, revision };
    } else revision = consumer.revision;
    if (id !== undefined && label !== undefined) {
      const record = secret.consumers[ctx.unit.name] ?? { revision };
      secret.consumers[ctx.unit.name] = { ...record, label };
    }
  }
  const data = secret.revisions.find((r) => r.revision === revision)?.content ?? {};
  let value: unknown = data;
  if (key !== undefined) {
    const [name, encoding] = key.split('#');
    const plain = data[name as string];
    value =
      encoding === 'base64' && plain !== undefined ? Buffer.from(plain).toString('base64') : plain;
  }
  return render(value, flags.format, ['yaml', 'json']);
}

function secretInfoGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'label' }]);
  const label = typeof flags.label === 'string' ? flags.label : undefined;
  if (positional[0] === undefined && label === undefined)
    throw new ToolError(2, 'require either a secret URI or label');
  const secret = find(ctx, positional[0], label);
  if (!owns(ctx, secret)) throw new ToolError(1, `secret "${bareId(secret.id)}" not found`);
  const info: Record<string, unknown> = {
    revision: latest(secret),
    label: secret.label ?? '',
    owner: secret.ownerKind,
    rotation: secret.rotate ?? 'never',
  };
  if (secret.description) info.description = secret.description;
  if (secret.expire) info.expiry = secret.expire;
  return render({ [bareId(secret.id)]: info }, flags.format, ['yaml', 'json']);
}

function secretGrant(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    { name: 'relation', aliases: ['r'] },
    { name: 'unit' },
  ]);
  const secret = find(ctx, positional[0] ?? '');
  if (!canManage(ctx, secret)) throw new ToolError(1, 'permission denied');
  if (typeof flags.relation !== 'string') throw new ToolError(2, 'missing relation');
  const rel = relationFor(ctx, flags.relation);
  const subject = typeof flags.unit === 'string' ? flags.unit : remoteApp(ctx, rel);
  if (!secret.grants.some((g) => g.relationId === rel.id && g.subject === subject)) {
    secret.grants.push({ relationId: rel.id, subject });
  }
  return '';
}

function secretRevoke(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    { name: 'relation', aliases: ['r'] },
    { name: 'app', aliases: ['application'] },
    { name: 'unit' },
  ]);
  const secret = find(ctx, positional[0] ?? '');
  if (!canManage(ctx, secret)) throw new ToolError(1, 'permission denied');
  const relId =
    typeof flags.relation === 'string' ? relationFor(ctx, flags.relation).id : undefined;
  secret.grants = secret.grants.filter(
    (g) =>
      !(
        (relId === undefined || g.relationId === relId) &&
        (flags.unit === undefined || g.subject === flags.unit) &&
        (flags.app === undefined || g.subject === flags.app)
      ),
  );
  return '';
}

function secretRemove(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [{ name: 'revision' }]);
  const secret = find(ctx, positional[0] ?? '');
  if (!canManage(ctx, secret)) throw new ToolError(1, 'permission denied');
  if (typeof flags.revision === 'string') {
    const revision = Number(flags.revision);
    if (revision === latest(secret)) {
      delete secret.expire;
      delete secret.nextExpired;
    }
    secret.revisions = secret.revisions.filter((r) => r.revision !== revision);
    if (secret.revisions.length > 0) return '';
  }
  delete ctx.draft.secrets[secret.id];
  return '';
}

function secretIds(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  const ids = Object.values(ctx.draft.secrets)
    .filter((s) => owns(ctx, s))
    .map((s) => s.id);
  return render(ids, flags.format);
}

/** The secret tools by name. */
export const secretTools = {
  'secret-add': secretAdd,
  'secret-set': secretSet,
  'secret-get': secretGet,
  'secret-info-get': secretInfoGet,
  'secret-grant': secretGrant,
  'secret-revoke': secretRevoke,
  'secret-remove': secretRemove,
  'secret-ids': secretIds,
};
