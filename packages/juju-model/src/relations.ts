/**
 * relation-get, relation-set, relation-ids, relation-list, relation-model-get: who may read or
 * write which bag, which relations a unit sees, with Juju's texts.
 * @module
 */
import type { EndpointRole } from '@charm-ts/ops/metadata';
import type { HookContext } from './context.ts';
import { PERMISSION_DENIED, runError, usageError } from './errors.ts';
import type { JujuModel, JujuRelation } from './model.ts';

const ROLE_ORDER: Record<EndpointRole, number> = { requires: 0, provides: 1, peers: 2 };
const UNIT_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;
const APP_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;

function roleOf(model: JujuModel, app: string, endpoint: string): EndpointRole | undefined {
  const endpoints = model.apps[app]?.charm.endpoints;
  if (!endpoints) return undefined;
  return (['requires', 'provides', 'peers'] as const).find((r) => endpoint in endpoints[r]);
}

/**
 * The relation's key as Juju names it in errors: its endpoints as `app:endpoint`, the requirer
 * before the provider (`wordpress:db mysql:server`; a peer relation's is `riak:ring`).
 */
export function relationKey(model: JujuModel, rel: JujuRelation): string {
  const rank = (app: string, endpoint: string) =>
    ROLE_ORDER[roleOf(model, app, endpoint) ?? 'peers'];
  return rel.endpoints
    .map((e) => ({ name: `${e.app}:${e.endpoint}`, rank: rank(e.app, e.endpoint) }))
    .sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => e.name)
    .join(' ');
}

/** True for a peer relation. */
export function isPeer(rel: JujuRelation): boolean {
  return rel.endpoints.length === 1;
}

/**
 * What `relation-get` reads when no unit or application is named: the hook's remote unit, else
 * its remote application (`--app` asks for the application).
 * @throws JujuError exit 2 `no unit or application specified`.
 */
export function defaultRelationTarget(
  ctx: HookContext,
  app: boolean,
): { target: string; app: boolean } {
  const remoteUnit = ctx.hook?.remoteUnit || undefined;
  const remoteApp = ctx.hook?.remoteApp || undefined;
  if (!app && remoteUnit) return { target: remoteUnit, app: false };
  if (remoteApp) return { target: remoteApp, app: true };
  throw usageError('no unit or application specified');
}

/**
 * `relation-get`: a unit's bag (`app` false) or an application's bag. This unit's own bags show
 * this hook's writes. Juju keeps a unit's bag for the relation's lifetime, so a departed unit's
 * is still read. An application name without `app` reads the application's bag, as Juju does.
 * @throws JujuError exit 1: `permission denied` for this application's bag on a non-peer
 * relation unless leader, and for a unit or application not in the relation; `cannot read
 * settings for unit "u/7" in relation "a:db b:server": unit "u/7": settings not found` for a
 * unit that never joined.
 */
export function relationGet(
  ctx: HookContext,
  rel: JujuRelation,
  target: string,
  app: boolean,
): Record<string, string> {
  const asApp = app || !target.includes('/');
  if (!UNIT_NAME.test(target) && !APP_NAME.test(target)) {
    throw runError(`"${target}" is not a valid unit or application name`);
  }
  if (asApp) {
    const name = target.includes('/') ? (target.split('/')[0] as string) : target;
    if (name === ctx.app.name && !isPeer(rel) && !ctx.leader) throw runError(PERMISSION_DENIED);
    if (!rel.endpoints.some((e) => e.app === name)) throw runError(PERMISSION_DENIED);
    return { ...rel.appData[name] };
  }
  if (target !== ctx.unit.name) {
    const app = target.split('/')[0] as string;
    if (!rel.endpoints.some((e) => e.app === app)) throw runError(PERMISSION_DENIED);
  }
  const bag = rel.unitData[target];
  if (!bag) {
    throw runError(
      `cannot read settings for unit "${target}" in relation "${relationKey(ctx.model, rel)}": unit "${target}": settings not found`,
    );
  }
  return { ...bag };
}

/**
 * `relation-set`: changes this unit's bag, or its application's (`app`, leader only); an empty
 * value deletes a key. Committed when the hook exits 0.
 * @throws JujuError exit 1 `cannot write relation settings` for a non-leader writing `app`.
 */
export function relationSet(
  ctx: HookContext,
  rel: JujuRelation,
  changes: Readonly<Record<string, string>>,
  app: boolean,
): void {
  if (app && !ctx.leader) throw runError('cannot write relation settings');
  const owner = app ? ctx.app.name : ctx.unit.name;
  const bags = app ? rel.appData : rel.unitData;
  const bag = bags[owner] ?? {};
  bags[owner] = bag;
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete bag[key];
    else bag[key] = value;
  }
}

/**
 * Whether Juju counts `rel` as broken for this unit: not a peer relation, being removed, and no
 * remote unit left in the unit's scope (juju/juju#17464, Juju 3.4.4 and later).
 */
export function isBroken(ctx: HookContext, rel: JujuRelation): boolean {
  return !isPeer(rel) && rel.dying === true && (rel.members[ctx.unit.name] ?? []).length === 0;
}

/**
 * The default endpoint of `relation-ids`: the hook's relation's.
 * @throws JujuError exit 2 `no relation name specified` outside a relation hook.
 */
export function defaultEndpoint(ctx: HookContext): string {
  const rel = ctx.hookRelation();
  if (!rel) throw usageError('no relation name specified');
  return ctx.endpointOf(rel);
}

/**
 * `relation-ids`: the relations on `endpoint` this unit's hook context knows, less broken ones
 * (so during relation-broken the broken relation is not listed; peer relations always are), in
 * Juju's order: `endpoint:id` sorted as text.
 */
export function relationIds(ctx: HookContext, endpoint: string): JujuRelation[] {
  return Object.values(ctx.draft.relations)
    .filter((rel) => ctx.knows(rel) && ctx.endpointOf(rel) === endpoint && !isBroken(ctx, rel))
    .sort((a, b) => {
      const [x, y] = [`${endpoint}:${a.id}`, `${endpoint}:${b.id}`];
      return x < y ? -1 : x > y ? 1 : 0;
    });
}

/**
 * `relation-list`: the remote units in this unit's scope, sorted. During relation-departed the
 * hook's remote unit is no longer listed (its bag can still be read); after the last one has
 * departed, and so during relation-broken, the list is empty.
 */
export function relationList(ctx: HookContext, rel: JujuRelation): string[] {
  const departing =
    ctx.hook?.relationId === rel.id && ctx.hook.hook.endsWith('-relation-departed')
      ? ctx.hook.remoteUnit
      : undefined;
  return (rel.members[ctx.unit.name] ?? []).filter((u) => u !== departing).sort();
}

/** `relation-list --app`: the remote application's name (this one, for a peer relation). */
export function relationListApp(ctx: HookContext, rel: JujuRelation): string {
  return ctx.remoteApp(rel);
}

/** `relation-model-get`: the uuid of the model at the other end. */
export function relationModelGet(ctx: HookContext, rel: JujuRelation): { uuid: string } {
  return { uuid: rel.remoteModelUuid ?? ctx.model.uuid };
}
