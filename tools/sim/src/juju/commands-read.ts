/**
 * The juju commands that only read a model (no lock, no hook run): status, show-unit,
 * secrets, show-secret, debug-log.
 * @module
 */
import { bareSecretId } from '@charm-ts/juju-model';
import { readDebugLog } from '../debug-log.ts';
import { formatStatus, statusView } from '../status-view.ts';
import { flag, flags, isSet, noMoreThan, outputFormat } from './args.ts';
import type { JujuCommand } from './context.ts';
import { CONTROLLER } from './controller.ts';
import { JujuError, usageError } from './errors.ts';
import { formatted } from './output.ts';
import { findSecret, secretEntry, secretList } from './secrets.ts';
import { jujuStatus } from './status.ts';
import { unitInfo } from './unit-info.ts';

const status: JujuCommand = {
  name: 'status',
  usage: '[<selector> [...]]',
  summary: "the model's applications, units and relations (Juju's schema with --format json)",
  flags: {
    format: { type: 'string' },
    relations: { type: 'boolean' },
    integrations: { type: 'boolean' },
    utc: { type: 'boolean' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  },
  unsupportedFlags: { watch: { type: 'string' }, storage: { type: 'boolean' } },
  run: async (context) => {
    const { args } = context;
    const format = outputFormat(args, ['tabular', 'json', 'yaml'], 'tabular');
    const { name, entry, state } = context.readModel();
    if (format === 'tabular') {
      context.out(formatStatus(statusView(state)));
      return 0;
    }
    const doc = jujuStatus(state, {
      model: name,
      controller: CONTROLLER,
      created: entry.created,
      stateDir: entry.dir,
      selectors: args.positionals,
    });
    context.out(formatted(doc, format));
    return 0;
  },
};

const showUnit: JujuCommand = {
  name: 'show-unit',
  usage: '<unit name> [<unit name>...]',
  summary: "a unit's charm, leadership, ports and the relation data it sees",
  flags: {
    format: { type: 'string' },
    app: { type: 'boolean' },
    endpoint: { type: 'string' },
    'related-unit': { type: 'string' },
  },
  run: async (context) => {
    const { args } = context;
    if (!args.positionals.length) throw usageError('an unit name must be supplied');
    const format = outputFormat(args, ['yaml', 'json'], 'yaml');
    const { state } = context.readModel();
    const out: Record<string, unknown> = {};
    const endpoint = flag(args, 'endpoint');
    const relatedUnit = flag(args, 'related-unit');
    for (const name of args.positionals) {
      const unit = state.units[name];
      if (!unit) throw new JujuError(`unit "${name}" not found (not found)`);
      out[name] = unitInfo(state, unit, {
        ...(endpoint ? { endpoint } : {}),
        ...(relatedUnit ? { relatedUnit } : {}),
        appOnly: isSet(args, 'app'),
      });
    }
    context.out(formatted(out, format));
    return 0;
  },
};

const secrets: JujuCommand = {
  name: 'secrets',
  aliases: ['list-secrets'],
  usage: '',
  summary: "the charms' secrets (no content)",
  flags: { format: { type: 'string' }, owner: { type: 'string' } },
  run: async (context) => {
    const { args } = context;
    noMoreThan(args, 0);
    const format = outputFormat(args, ['tabular', 'json', 'yaml'], 'tabular');
    const { state } = context.readModel();
    const list = secretList(state, flag(args, 'owner'));
    if (format !== 'tabular') {
      context.out(formatted(list, format));
      return 0;
    }
    context.out('ID                    Name  Owner  Rotation  Revision  Last updated\n');
    for (const [id, entry] of Object.entries(list)) {
      const e = entry as Record<string, unknown>;
      context.out(
        `${id}  -  ${e.owner}  ${e.rotation ?? 'never'}  ${e.revision}  ${e.updated ?? ''}\n`,
      );
    }
    return 0;
  },
};

const showSecret: JujuCommand = {
  name: 'show-secret',
  usage: '<ID>|<name>',
  summary: 'one secret, its content with --reveal, its revisions with --revisions',
  flags: {
    format: { type: 'string' },
    reveal: { type: 'boolean', short: 'r' },
    revisions: { type: 'boolean' },
    revision: { type: 'string' },
  },
  run: async (context) => {
    const { args } = context;
    const ref = args.positionals[0];
    if (ref === undefined) throw usageError('missing secret URI');
    noMoreThan(args, 1);
    const format = outputFormat(args, ['yaml', 'json'], 'yaml');
    const revisionText = flag(args, 'revision');
    if (isSet(args, 'revisions') && (isSet(args, 'reveal') || revisionText !== undefined)) {
      throw usageError('specify either --revisions or --reveal but not both');
    }
    if (revisionText !== undefined && !/^\d+$/.test(revisionText)) {
      throw usageError(`invalid value "${revisionText}" for option --revision`);
    }
    const { state } = context.readModel();
    const secret = findSecret(state, ref);
    const reveal = isSet(args, 'reveal') || revisionText !== undefined;
    const entry = secretEntry(secret, {
      reveal,
      ...(revisionText !== undefined ? { revision: Number(revisionText) } : {}),
      revisions: isSet(args, 'revisions'),
    });
    context.out(formatted({ [bareSecretId(secret.id)]: entry }, format));
    return 0;
  },
};

const debugLog: JujuCommand = {
  name: 'debug-log',
  usage: '',
  summary: "the model's log (printed, never followed)",
  flags: {
    limit: { type: 'string' },
    lines: { type: 'string', short: 'n' },
    level: { type: 'string', short: 'l' },
    include: { type: 'string', short: 'i', multiple: true },
    replay: { type: 'boolean' },
    'no-tail': { type: 'boolean' },
    tail: { type: 'boolean' },
    utc: { type: 'boolean' },
    ms: { type: 'boolean' },
    color: { type: 'boolean' },
    date: { type: 'boolean' },
    location: { type: 'boolean' },
  },
  unsupportedFlags: {
    exclude: { type: 'string', short: 'x', multiple: true },
    'include-module': { type: 'string', multiple: true },
    'exclude-module': { type: 'string', multiple: true },
    'include-labels': { type: 'string', multiple: true },
    'exclude-labels': { type: 'string', multiple: true },
    firehose: { type: 'boolean' },
  },
  run: async (context) => {
    const { args } = context;
    noMoreThan(args, 0);
    const { entry } = context.model();
    const level = flag(args, 'level');
    let lines = readDebugLog(entry.dir, level ? { level } : {})
      .split('\n')
      .filter(Boolean);
    const includes = flags(args, 'include').map(entityTag);
    if (includes.length) {
      lines = lines.filter((line) => includes.some((tag) => tag.test(line)));
    }
    const limit = Number(flag(args, 'limit') ?? flag(args, 'lines') ?? '0');
    if (!Number.isInteger(limit) || limit < 0) {
      throw usageError('--limit and --lines take a whole number of lines');
    }
    if (limit > 0) lines = lines.slice(-limit);
    context.out(lines.length ? `${lines.join('\n')}\n` : '');
    return 0;
  },
};

/** The line prefix of an `--include` entity: `app/0`, `unit-app-0`, or an application. */
function entityTag(entity: string): RegExp {
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const unit = /^unit-(.+)-(\d+)$/.exec(entity);
  const slug = unit
    ? quote(`${unit[1]}-${unit[2]}`)
    : entity.includes('/')
      ? quote(entity.replace('/', '-'))
      : `${quote(entity)}-\\d+`;
  return new RegExp(`^unit-${slug}: `);
}

/** The commands that only read. */
export const READ_COMMANDS: readonly JujuCommand[] = [
  status,
  showUnit,
  secrets,
  showSecret,
  debugLog,
];
