/**
 * config-get, is-leader, leader-get/-set, state-get/-set/-delete, juju-log, credential-get:
 * argv and output formats around @charm-ts/juju-model's rules.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
import type { LogLevel } from '@charm-ts/ops';
import { checkEmpty, FORMAT_FLAGS, parseArgs, parseKeyValues, stringFlag } from './args.ts';
import type { Tool } from './context.ts';
import { render } from './format.ts';
import { readSettingsFile } from './relation.ts';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

const configGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'all', aliases: ['a'], bool: true },
  ]);
  checkEmpty(positional, 1);
  const values = juju.configGet(ctx, flags.all === true);
  const key = positional[0];
  return render(key === undefined ? values : (values[key] ?? null), flags.format);
};

const isLeaderTool: Tool = (ctx, args) => {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  return render(juju.isLeader(ctx), flags.format);
};

const leaderGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  const key = positional[0];
  const all = juju.leaderGet(ctx);
  return render(key === undefined || key === '-' ? all : all[key], flags.format);
};

const leaderSetTool: Tool = (ctx, args, stdin) => {
  const { flags, positional } = parseArgs(args, [{ name: 'file' }]);
  const file = stringFlag(flags, 'file');
  const changes = file === undefined ? {} : readSettingsFile(file, stdin);
  juju.leaderSet(ctx, { ...changes, ...parseKeyValues(positional) });
  return '';
};

const stateGetTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'strict', bool: true }]);
  checkEmpty(positional, 1);
  const key = positional[0];
  if (key === undefined || key === '-') return render(juju.stateGetAll(ctx), flags.format);
  const value = juju.stateGet(ctx, key, flags.strict === true);
  return render(value ?? (flags.format === 'json' ? null : ''), flags.format);
};

const stateSetTool: Tool = (ctx, args, stdin) => {
  const { flags, positional } = parseArgs(args, [{ name: 'file' }]);
  const file = stringFlag(flags, 'file');
  const changes = file === undefined ? {} : readSettingsFile(file, stdin);
  juju.stateSet(ctx, { ...changes, ...parseKeyValues(positional) });
  return '';
};

const stateDeleteTool: Tool = (ctx, args) => {
  const { positional } = parseArgs(args, []);
  const key = positional[0];
  if (key === undefined) throw juju.usageError('no key specified');
  juju.stateDelete(ctx, key);
  return '';
};

const jujuLogTool: Tool = (ctx, args) => {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'log-level', aliases: ['l'] },
    { name: 'debug', bool: true },
  ]);
  let level = (stringFlag(flags, 'log-level') ?? 'INFO').toUpperCase();
  if (flags.debug) level = 'DEBUG';
  if (!LEVELS.includes(level)) level = 'INFO';
  if (positional.length === 0) throw juju.usageError('no message specified');
  juju.jujuLog(ctx, level as LogLevel, positional.join(' '));
  return '';
};

const credentialGetTool: Tool = (ctx, args) => {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  return render(juju.credentialGet(ctx), flags.format);
};

/** The unit tools by name. */
export const unitTools: Record<string, Tool> = {
  'config-get': configGetTool,
  'is-leader': isLeaderTool,
  'leader-get': leaderGetTool,
  'leader-set': leaderSetTool,
  'state-get': stateGetTool,
  'state-set': stateSetTool,
  'state-delete': stateDeleteTool,
  'juju-log': jujuLogTool,
  'credential-get': credentialGetTool,
};
