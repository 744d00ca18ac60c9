/**
 * secret-add, secret-get, secret-set, secret-info-get, secret-grant, secret-revoke,
 * secret-remove, secret-ids: argv and output formats around @charm-ts/juju-model's secret
 * rules. Contents never reach a log or an error message.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import { parse } from 'yaml';
import { FORMAT_FLAGS, type ParsedArgs, parseArgs, stringFlag } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';

const META_FLAGS = [
  { name: 'label' },
  { name: 'description' },
  { name: 'expire' },
  { name: 'rotate' },
  { name: 'owner' },
  { name: 'file' },
];

/** The content given as `key=value` (`key#base64=…`) arguments and `--file -` YAML. */
function content(
  positional: readonly string[],
  file: string | undefined,
  stdin: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (file !== undefined) {
    if (file !== '-') throw juju.usageError('only --file - is supported by charm-sim');
    const data = parse(stdin ?? '') ?? {};
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) out[k] = String(v);
  }
  for (const arg of positional) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw juju.usageError(`expected "key=value", got "${arg.split('=')[0]}"`);
    out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  const decoded: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(out)) {
    const [key, encoding] = rawKey.split('#') as [string, string | undefined];
    decoded[key] = encoding === 'base64' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  return decoded;
}

function metadata(flags: ParsedArgs['flags']) {
  return {
    label: stringFlag(flags, 'label'),
    description: stringFlag(flags, 'description'),
    expire: stringFlag(flags, 'expire'),
    rotate: stringFlag(flags, 'rotate'),
  };
}

const secretAddTool: Tool = (ctx, args, stdin) => {
  const { flags, positional } = parseArgs(args, META_FLAGS);
  const owner = stringFlag(flags, 'owner') ?? 'application';
  if (owner !== 'unit' && owner !== 'application') {
    throw juju.usageError(`invalid value "${owner}" for option --owner`);
  }
  const data = content(positional, stringFlag(flags, 'file'), stdin);
  return `${juju.secretAdd(ctx, data, { ...metadata(flags), owner })}\n`;
};

const secretSetTool: Tool = (ctx, args, stdin) => {
  const { flags, positional } = parseArgs(args, META_FLAGS);
  const [id, ...pairs] = positional;
  if (id === undefined) throw juju.usageError('missing secret URI');
  const data = content(pairs, stringFlag(flags, 'file'), stdin);
  juju.secretSet(ctx, id, { ...metadata(flags), content: data });
  return '';
};

const secretGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'label' },
    { name: 'peek', bool: true },
    { name: 'refresh', bool: true },
  ]);
  const [id, key] = positional;
  const data = juju.secretGet(ctx, {
    id,
    label: stringFlag(flags, 'label'),
    peek: flags.peek === true,
    refresh: flags.refresh === true,
  });
  let value: unknown = data;
  if (key !== undefined) {
    const [name, encoding] = key.split('#');
    const plain = data[name as string];
    value =
      encoding === 'base64' && plain !== undefined ? Buffer.from(plain).toString('base64') : plain;
  }
  return render(value, flags.format, ['yaml', 'json']);
};

const secretInfoGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'label' }]);
  const info = juju.secretInfoGet(ctx, { id: positional[0], label: stringFlag(flags, 'label') });
  // Juju keys the answer by the bare id; an unset label prints as ''.
  const shown: Record<string, unknown> = {
    revision: info.revision,
    label: info.label ?? '',
    owner: info.owner,
  };
  if (info.description !== undefined) shown.description = info.description;
  if (info.rotation !== undefined) shown.rotation = info.rotation;
  if (info.expiry !== undefined) shown.expiry = info.expiry;
  if (info.rotates !== undefined) shown.rotates = info.rotates;
  return render({ [juju.bareSecretId(info.id)]: shown }, flags.format, ['yaml', 'json']);
};

const secretGrantTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    { name: 'relation', aliases: ['r'] },
    { name: 'unit' },
  ]);
  const relation = stringFlag(flags, 'relation');
  if (relation === undefined) throw juju.usageError('missing relation');
  const rel = ctx.relation(relation);
  juju.secretGrant(ctx, positional[0] ?? '', rel, stringFlag(flags, 'unit'));
  return '';
};

const secretRevokeTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    { name: 'relation', aliases: ['r'] },
    { name: 'app', aliases: ['application'] },
    { name: 'unit' },
  ]);
  const relation = stringFlag(flags, 'relation');
  juju.secretRevoke(ctx, positional[0] ?? '', {
    relation: relation === undefined ? undefined : ctx.relation(relation),
    app: stringFlag(flags, 'app'),
    unit: stringFlag(flags, 'unit'),
  });
  return '';
};

const secretRemoveTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [{ name: 'revision' }]);
  const revision = stringFlag(flags, 'revision');
  if (revision !== undefined && !/^\d+$/.test(revision)) {
    throw juju.usageError(`invalid value "${revision}" for option --revision`);
  }
  juju.secretRemove(
    ctx,
    positional[0] ?? '',
    revision === undefined ? undefined : Number(revision),
  );
  return '';
};

const secretIdsTool: Tool = (ctx, args) => {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  return render(juju.secretIds(ctx), flags.format);
};

/** The secret tools by name. */
export const secretTools: Record<string, Tool> = {
  'secret-add': secretAddTool,
  'secret-set': secretSetTool,
  'secret-get': secretGetTool,
  'secret-info-get': secretInfoGetTool,
  'secret-grant': secretGrantTool,
  'secret-revoke': secretRevokeTool,
  'secret-remove': secretRemoveTool,
  'secret-ids': secretIdsTool,
};
