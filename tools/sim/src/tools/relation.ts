/**
 * relation-get, relation-set, relation-ids, relation-list, relation-model-get: argv and output
 * formats around @charm-ts/juju-model's relation rules.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { parse } from 'yaml';
import { checkEmpty, FORMAT_FLAGS, parseArgs, parseKeyValues, stringFlag } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const RELATION_FLAG = { name: 'relation', aliases: ['r'] };

/**
 * Reads a YAML map of string settings from `--file` (`-` is stdin).
 * @throws JujuError exit 1 when the file is unreadable or not a map.
 */
export function readSettingsFile(file: string, stdin: string | undefined): Record<string, string> {
  if (file !== '-')
    throw juju.runError(`cannot read ${file}: only --file - is supported by charm-sim`);
  const text = stdin ?? '';
  const data = text.trim() === '' ? {} : parse(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw juju.runError('expected a YAML map of settings');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

const relationGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    RELATION_FLAG,
    { name: 'app', bool: true },
  ]);
  const rel = ctx.relation(stringFlag(flags, 'relation'));
  const key = positional[0] === undefined || positional[0] === '-' ? undefined : positional[0];
  checkEmpty(positional, 2);
  const given = positional[1];
  const { target, app } =
    given === undefined
      ? juju.defaultRelationTarget(ctx, flags.app === true)
      : { target: given, app: flags.app === true };
  const bag = juju.relationGet(ctx, rel, target, app);
  return render(key === undefined ? bag : (bag[key] ?? null), flags.format);
};

const relationSetTool: Tool = (ctx, args, stdin) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    RELATION_FLAG,
    { name: 'app', bool: true },
    { name: 'file' },
  ]);
  const rel = ctx.relation(stringFlag(flags, 'relation'));
  const file = stringFlag(flags, 'file');
  const changes = file === undefined ? {} : readSettingsFile(file, stdin);
  Object.assign(changes, parseKeyValues(positional));
  juju.relationSet(ctx, rel, changes, flags.app === true);
  return '';
};

const relationIdsTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  checkEmpty(positional, 1);
  const endpoint = positional[0] ?? juju.defaultEndpoint(ctx);
  const ids = juju.relationIds(ctx, endpoint).map((rel) => `${endpoint}:${rel.id}`);
  return render(ids, flags.format);
};

const relationListTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    RELATION_FLAG,
    { name: 'app', bool: true },
  ]);
  checkEmpty(positional, 0);
  const rel = ctx.relation(stringFlag(flags, 'relation'));
  if (flags.app) return render(juju.relationListApp(ctx, rel), flags.format);
  return render(juju.relationList(ctx, rel), flags.format);
};

const relationModelGetTool: Tool = (ctx: juju.HookContext, args) => {
  const { flags } = parseArgs(args, [...FORMAT_FLAGS, RELATION_FLAG]);
  return render(
    juju.relationModelGet(ctx, ctx.relation(stringFlag(flags, 'relation'))),
    flags.format,
  );
};

/** The relation tools by name. */
export const relationTools: Record<string, Tool> = {
  'relation-get': relationGetTool,
  'relation-set': relationSetTool,
  'relation-ids': relationIdsTool,
  'relation-list': relationListTool,
  'relation-model-get': relationModelGetTool,
};
