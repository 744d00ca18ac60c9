/**
 * config-get, is-leader, leader-get/-set, status-get/-set, state-get/-set/-delete,
 * application-version-set, juju-log, credential-get.
 * @module
 */
import { effectiveConfig } from '../config.ts';
import { status as newStatus } from '../model.ts';
import { FORMAT_FLAGS, parseArgs, parseKeyValues, ToolError } from './args.ts';
import { isLeader, type ToolContext } from './context.ts';
import { render } from './format.ts';
import { readSettingsFile } from './relation.ts';

const SETTABLE = ['maintenance', 'blocked', 'waiting', 'active'];

function configGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'all', aliases: ['a'], bool: true },
  ]);
  const values = effectiveConfig(ctx.app.charm.config, ctx.app.config);
  if (flags.all) {
    for (const key of Object.keys(ctx.app.charm.config)) values[key] ??= null;
  }
  const key = positional[0];
  return render(key === undefined ? values : (values[key] ?? null), flags.format);
}

function isLeaderTool(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, FORMAT_FLAGS);
  return render(isLeader(ctx), flags.format);
}

function leaderGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, FORMAT_FLAGS);
  const key = positional[0];
  const all = ctx.app.leaderSettings;
  return render(key === undefined || key === '-' ? { ...all } : all[key], flags.format);
}

function leaderSet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [{ name: 'file' }]);
  if (!isLeader(ctx)) {
    throw new ToolError(
      1,
      'cannot write leadership settings: cannot write settings: not the leader',
    );
  }
  const changes = typeof flags.file === 'string' ? readSettingsFile(ctx, flags.file) : {};
  Object.assign(changes, parseKeyValues(positional));
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete ctx.app.leaderSettings[key];
    else ctx.app.leaderSettings[key] = value;
  }
  ctx.saveNow();
  ctx.leaderSettingsChanged();
  return '';
}

function statusGet(ctx: ToolContext, args: string[]): string {
  const { flags } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'application', bool: true },
    { name: 'include-data', bool: true },
  ]);
  if (flags.application) {
    if (!isLeader(ctx))
      throw new ToolError(1, 'finding application status: this unit is not the leader');
    const app = ctx.app.status ?? newStatus('unknown');
    const units: Record<string, unknown> = {};
    for (const name of ctx.app.units) {
      const unit = ctx.model.units[name];
      if (unit) {
        units[name] = {
          status: unit.workloadStatus.status,
          message: unit.workloadStatus.message,
          'status-data': {},
        };
      }
    }
    return render(
      {
        'application-status': {
          status: app.status,
          message: app.message,
          'status-data': {},
          units,
        },
      },
      flags.format,
    );
  }
  const own = ctx.unit.workloadStatus;
  if (!flags['include-data']) return render(own.status, flags.format);
  return render({ status: own.status, message: own.message, 'status-data': {} }, flags.format);
}

function statusSet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [{ name: 'application', bool: true }]);
  const [value, ...message] = positional;
  if (value === undefined) throw new ToolError(2, 'invalid args, require <status> [message]');
  if (!SETTABLE.includes(value)) {
    throw new ToolError(2, `invalid status "${value}", expected one of [${SETTABLE.join(' ')}]`);
  }
  if (flags.application) {
    if (!isLeader(ctx))
      throw new ToolError(1, 'setting application status: this unit is not the leader');
    ctx.app.status = newStatus(value, message.join(' '));
  } else {
    ctx.unit.workloadStatus = newStatus(value, message.join(' '));
  }
  ctx.saveNow();
  return '';
}

function stateGet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [...FORMAT_FLAGS, { name: 'strict', bool: true }]);
  const key = positional[0];
  if (key === undefined || key === '-') return render({ ...ctx.draft.state }, flags.format);
  const value = ctx.draft.state[key];
  if (value === undefined && flags.strict) throw new ToolError(1, `"${key}" not found`);
  return render(value ?? (flags.format === 'json' ? null : ''), flags.format);
}

function stateSet(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [{ name: 'file' }]);
  const changes = typeof flags.file === 'string' ? readSettingsFile(ctx, flags.file) : {};
  Object.assign(changes, parseKeyValues(positional));
  for (const [key, value] of Object.entries(changes)) {
    if (Buffer.byteLength(key) > 256)
      throw new ToolError(1, `key "${key.slice(0, 20)}…" exceeds 256 bytes`);
    if (Buffer.byteLength(value) > 65536)
      throw new ToolError(1, `value of "${key}" exceeds 65536 bytes`);
    ctx.draft.state[key] = value;
  }
  return '';
}

function stateDelete(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, []);
  const key = positional[0];
  if (key === undefined) throw new ToolError(2, 'no key specified');
  delete ctx.draft.state[key];
  return '';
}

function applicationVersionSet(ctx: ToolContext, args: string[]): string {
  const { positional } = parseArgs(args, []);
  if (positional.length !== 1) throw new ToolError(2, 'no version specified');
  ctx.app.version = positional[0] as string;
  ctx.saveNow();
  return '';
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

function jujuLog(ctx: ToolContext, args: string[]): string {
  const { flags, positional } = parseArgs(args, [
    ...FORMAT_FLAGS,
    { name: 'log-level', aliases: ['l'] },
    { name: 'debug', bool: true },
  ]);
  let level = typeof flags['log-level'] === 'string' ? flags['log-level'].toUpperCase() : 'INFO';
  if (flags.debug) level = 'DEBUG';
  if (!LEVELS.includes(level)) level = 'INFO';
  if (positional.length === 0) throw new ToolError(2, 'no message specified');
  ctx.log(level, positional.join(' '));
  return '';
}

function credentialGet(_ctx: ToolContext, args: string[]): string {
  parseArgs(args, FORMAT_FLAGS);
  throw new ToolError(1, 'cannot access cloud credentials: permission denied');
}

/** The unit tools by name. */
export const unitTools = {
  'config-get': configGet,
  'is-leader': isLeaderTool,
  'leader-get': leaderGet,
  'leader-set': leaderSet,
  'status-get': statusGet,
  'status-set': statusSet,
  'state-get': stateGet,
  'state-set': stateSet,
  'state-delete': stateDelete,
  'application-version-set': applicationVersionSet,
  'juju-log': jujuLog,
  'credential-get': credentialGet,
};
