/**
 * relation-get, relation-set, relation-ids, relation-list, relation-model-get.
 * @module
 */
import { parse } from 'yaml';
import type { RelationState } from '../model.ts';
import { FORMAT_FLAGS, parseArgs, parseKeyValues, ToolError } from './args.ts';
import { isLeader, type ToolContext } from './context.ts';
import { render } from './format.ts';

/**
 * Resolves `-r` (or the hook's relation) to a relation this unit's app is part of.
 * @throws ToolError exit 2 with Juju's texts: `invalid relation id`, `relation not found`,
 * `no relation id specified`.
 */
export function relationFor(ctx: ToolContext, flag: string | boolean | undefined): RelationState {
  if (typeof flag !== 'string') {
    const id = ctx.hook?.relationId;
    const rel = id === undefined ? undefined : ctx.draft.relations[String(id)];
    if (!rel) throw new ToolError(2, 'no relation id specified');
    return rel;
  }
  const match = /^(?:[a-z][a-z0-9-]*:)?(\d+)$/.exec(flag);
  if (!match) throw new ToolError(2, `invalid value "${flag}" for option -r: invalid relation id`);
  const rel = ctx.draft.relations[match[1] as string];
  if (!rel?.endpoints.some((e) => e.app === ctx.app.name)) {
    throw new ToolError(2, `invalid value "${flag}" for option -r: relation not found`);
  }
  return rel;
}

/** `<endpoint>:<id>` as this unit's app sees the relation. */
export function relationKey(ctx: ToolContext, rel: RelationState): string {
  const own = rel.endpoints.find((e) => e.app === ctx.app.name);
  return `${own?.endpoint}:${rel.id}`;
}

/** The app at the other end (the own app for a peer relation). */
export function remoteApp(ctx: ToolContext, rel: RelationState): string {
  return (rel.endpoints.find((e) => e.app !== ctx.app.name) ?? rel.endpoints[0])?.app ?? '';
}

function isPeer(rel: RelationState): boolean {
  return rel.endpoints.length === 1;
}

function relationGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'relation', aliases: ['r'] },
    { name: 'app', bool: true },
  ]);
  const rel = relationFor(ctx, flags.relation);
  const key = positional[0] === undefined || positional[0] === '-' ? undefined : positional[0];
  let target = positional[1];
  if (target === undefined) {
    target = flags.app ? ctx.hook?.remoteApp : ctx.hook?.remoteUnit;
    if (!target) throw new ToolError(2, 'no unit or application specified');
  }
  let bag: Record<string, string> | undefined;
  if (flags.app) {
    if (!rel.endpoints.some((e) => e.app === target)) {
      throw new ToolError(
        1,
        `cannot read application settings: application "${target}" not in relation`,
      );
    }
    if (target === ctx.app.name && !isPeer(rel) && !isLeader(ctx)) {
      throw new ToolError(1, 'permission denied');
    }
    bag = rel.appData[target] ?? {};
  } else {
    const app = target.split('/')[0] ?? '';
    const known = ctx.model.units[target] !== undefined || target in rel.unitData;
    if (!rel.endpoints.some((e) => e.app === app) || !known) {
      throw new ToolError(
        1,
        `cannot read settings for unit "${target}" in relation "${relationKey(ctx, rel)}": unit not found`,
      );
    }
    bag = rel.unitData[target] ?? {};
  }
  const value = key === undefined ? { ...bag } : bag[key];
  return render(value, flags.format);
}

function relationSet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'relation', aliases: ['r'] },
    { name: 'app', bool: true },
    { name: 'file' },
  ]);
  const rel = relationFor(ctx, flags.relation);
  const changes: Record<string, string> = {};
  if (typeof flags.file === 'string') Object.assign(changes, readSettingsFile(ctx, flags.file));
  Object.assign(changes, parseKeyValues(positional));
  let bag: Record<string, string>;
  if (flags.app) {
    if (!isLeader(ctx)) throw new ToolError(1, 'cannot write relation settings');
    rel.appData[ctx.app.name] ??= {};
    bag = rel.appData[ctx.app.name] as Record<string, string>;
  } else {
    rel.unitData[ctx.unit.name] ??= {};
    bag = rel.unitData[ctx.unit.name] as Record<string, string>;
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete bag[key];
    else bag[key] = value;
  }
  return '';
}

/**
 * Reads a YAML map of string settings from `--file` (`-` is stdin).
 * @throws ToolError exit 1 when the file is unreadable or not a map.
 */
export function readSettingsFile(ctx: ToolContext, file: string): Record<string, string> {
  let text: string;
  if (file === '-') text = ctx.stdin ?? '';
  else throw new ToolError(1, `cannot read ${file}: only --file - is supported by charm-sim`);
  const data = text.trim() === '' ? {} : parse(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ToolError(1, 'expected a YAML map of settings');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

function relationIds(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  let endpoint = positional[0];
  if (endpoint === undefined) {
    const id = ctx.hook?.relationId;
    const rel = id === undefined ? undefined : ctx.draft.relations[String(id)];
    if (!rel) throw new ToolError(2, 'no endpoint name specified');
    endpoint = relationKey(ctx, rel).split(':')[0];
  }
  // Relations being removed are left out, as Juju leaves out broken ones.
  const ids = Object.values(ctx.draft.relations)
    .filter((rel) => !rel.dying)
    .filter((rel) => rel.endpoints.some((e) => e.app === ctx.app.name && e.endpoint === endpoint))
    .map((rel) => `${endpoint}:${rel.id}`);
  return render(ids, flags.format);
}

function relationList(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'relation', aliases: ['r'] },
    { name: 'app', bool: true },
  ]);
  const rel = relationFor(ctx, flags.relation);
  if (flags.app) return render(remoteApp(ctx, rel), flags.format);
  return render([...(rel.members[ctx.unit.name] ?? [])].sort(), flags.format);
}

function relationModelGet(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, [...FORMAT_FLAGS, { name: 'relation', aliases: ['r'] }]);
  relationFor(ctx, flags.relation);
  return render({ uuid: ctx.model.uuid }, flags.format);
}

/** The relation tools by name. */
export const relationTools = {
  'relation-get': relationGet,
  'relation-set': relationSet,
  'relation-ids': relationIds,
  'relation-list': relationList,
  'relation-model-get': relationModelGet,
};
