/**
 * The juju commands about models and the client: add-model, destroy-model, models,
 * show-model, switch, model-config, version.
 * @module
 */
import { rmSync } from 'node:fs';
import { JUJU_VERSION } from '../hook-env.ts';
import { Simulator } from '../simulator.ts';
import { flag, flags, isSet, noMoreThan, outputFormat } from './args.ts';
import type { JujuCommand, JujuContext } from './context.ts';
import { openWaiting } from './context.ts';
import { CONTROLLER, type ModelEntry, modelName, OWNER } from './controller.ts';
import { unsupported, usageError } from './errors.ts';
import { formatted } from './output.ts';
import { CLOUD } from './status.ts';
import { statusSince } from './times.ts';

/** The model config keys that mean something here, with their defaults (as Juju's). */
const MODEL_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'update-status-hook-interval': '5m',
};

/** Refuses model config keys charm-sim does nothing with (exit 2). */
function checkModelConfigKeys(pairs: readonly string[]): void {
  for (const pair of pairs) {
    const key = pair.split('=', 1)[0] ?? '';
    if (!(key in MODEL_CONFIG_DEFAULTS)) {
      throw unsupported(
        `model config key "${key}"`,
        `it knows ${Object.keys(MODEL_CONFIG_DEFAULTS).join(', ')}`,
      );
    }
  }
}

/** The model's arch, as Juju names it. */
function arch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** One model as `models` and `show-model` describe it. */
function modelInfo(context: JujuContext, name: string, entry: ModelEntry) {
  return {
    name: `${OWNER}/${name}`,
    'short-name': name,
    'model-uuid': entry.uuid,
    'model-type': 'caas',
    'controller-uuid': context.controller.uuid,
    'controller-name': CONTROLLER,
    'is-controller': false,
    owner: OWNER,
    cloud: CLOUD.cloud,
    region: CLOUD.region,
    type: CLOUD.type,
    life: 'alive',
    status: { current: 'available', since: statusSince(entry.created) },
    'agent-version': JUJU_VERSION,
  };
}

const addModel: JujuCommand = {
  name: 'add-model',
  usage: '<model name> [cloud|region|(cloud/region)]',
  summary: 'add a model (a charm-sim state directory)',
  model: false,
  flags: {
    'no-switch': { type: 'boolean' },
    config: { type: 'string', multiple: true },
    controller: { type: 'string', short: 'c' },
  },
  unsupportedFlags: { credential: { type: 'string' }, 'target-controller': { type: 'string' } },
  run: async (context) => {
    const { args, controller } = context;
    const name = args.positionals[0];
    if (name === undefined) throw usageError('model name is required');
    noMoreThan(args, 2);
    const controllerName = flag(args, 'controller');
    if (controllerName !== undefined) modelName(`${controllerName}:${name}`);
    const config = flags(args, 'config');
    checkModelConfigKeys(config);
    const entry = controller.add(name);
    const sim = await openWaiting(entry.dir, { modelName: name }, () => {});
    try {
      if (config.length) sim.modelConfig(config);
    } finally {
      sim.close();
    }
    if (!isSet(args, 'no-switch')) controller.switchTo(name);
    controller.save();
    context.err(`Added '${name}' model on ${CLOUD.cloud}/${CLOUD.region} for user '${OWNER}'\n`);
    return 0;
  },
};

const destroyModel: JujuCommand = {
  name: 'destroy-model',
  usage: '[<controller name>:]<model name>',
  summary: 'stop every pod of a model and delete it',
  model: false,
  flags: {
    'no-prompt': { type: 'boolean' },
    force: { type: 'boolean' },
    'destroy-storage': { type: 'boolean' },
    'release-storage': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
  },
  run: async (context) => {
    const { args, controller } = context;
    const ref = args.positionals[0];
    if (ref === undefined) throw usageError('no model specified');
    noMoreThan(args, 1);
    const name = modelName(ref);
    const entry = controller.find(name);
    context.err(`Destroying model\n`);
    if (isSet(args, 'force')) {
      await Simulator.forceDestroy(entry.dir);
    } else {
      const sim = await openWaiting(entry.dir, {}, (line) => context.err(`${line}\n`));
      await sim.destroy();
    }
    rmSync(entry.dir, { recursive: true, force: true });
    controller.remove(name);
    controller.save();
    context.err(`Model destroyed.\n`);
    return 0;
  },
};

const models: JujuCommand = {
  name: 'models',
  aliases: ['list-models'],
  usage: '',
  summary: 'list the models',
  model: false,
  flags: {
    format: { type: 'string' },
    controller: { type: 'string', short: 'c' },
    all: { type: 'boolean' },
    uuid: { type: 'boolean' },
    'exact-time': { type: 'boolean' },
  },
  run: async (context) => {
    const { args, controller } = context;
    noMoreThan(args, 0);
    const format = outputFormat(args, ['tabular', 'json', 'yaml'], 'tabular');
    const names = Object.keys(controller.models).sort();
    if (format !== 'tabular') {
      const list = names.map((n) => modelInfo(context, n, controller.models[n] as ModelEntry));
      const current = controller.current;
      context.out(
        formatted({ models: list, ...(current ? { 'current-model': current } : {}) }, format),
      );
      return 0;
    }
    const rows = [['Model', 'Cloud/Region', 'Type', 'Status', 'Units', 'Access']];
    for (const n of names) {
      const units = Object.keys(
        Simulator.readState((controller.models[n] as ModelEntry).dir).units,
      ).length;
      rows.push([
        `${n}${n === controller.current ? '*' : ''}`,
        `${CLOUD.cloud}/${CLOUD.region}`,
        CLOUD.type,
        'available',
        String(units),
        'admin',
      ]);
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    context.out(`Controller: ${CONTROLLER}\n\n`);
    for (const row of rows) {
      context.out(
        `${row
          .map((c, i) => c.padEnd((widths[i] ?? 0) + 2))
          .join('')
          .trimEnd()}\n`,
      );
    }
    return 0;
  },
};

const showModel: JujuCommand = {
  name: 'show-model',
  usage: '[<model name>]',
  summary: "a model's details",
  model: false,
  flags: { format: { type: 'string' } },
  run: async (context) => {
    const { args, controller } = context;
    noMoreThan(args, 1);
    const format = outputFormat(args, ['yaml', 'json'], 'yaml');
    const ref = args.positionals[0];
    const [name, entry] = controller.resolve(ref, context.env);
    const info = {
      ...modelInfo(context, name, entry),
      users: { [OWNER]: { 'display-name': OWNER, access: 'admin', 'last-connection': 'just now' } },
      sla: 'unsupported',
    };
    context.out(formatted({ [name]: info }, format));
    return 0;
  },
};

const switchModel: JujuCommand = {
  name: 'switch',
  usage: '[<controller>:][<model>]',
  summary: 'select the current model',
  model: false,
  run: async (context) => {
    const { args, controller } = context;
    noMoreThan(args, 1);
    const ref = args.positionals[0];
    if (ref === undefined) {
      if (!controller.current) throw usageError('no current model: juju switch <model name>');
      context.out(`${CONTROLLER}:${OWNER}/${controller.current}\n`);
      return 0;
    }
    const name = modelName(ref);
    const before = controller.current;
    controller.switchTo(name);
    controller.save();
    context.err(
      `${before ? `${CONTROLLER}:${OWNER}/${before}` : CONTROLLER} -> ${CONTROLLER}:${OWNER}/${name}\n`,
    );
    return 0;
  },
};

const modelConfig: JujuCommand = {
  name: 'model-config',
  usage: '[<model-key>[=<value>] ...]',
  summary: 'show or set model config (update-status-hook-interval)',
  flags: { format: { type: 'string' }, reset: { type: 'string', multiple: true } },
  unsupportedFlags: { file: { type: 'string' } },
  run: async (context) => {
    const { args } = context;
    const sets = args.positionals.filter((a) => a.includes('='));
    const keys = args.positionals.filter((a) => !a.includes('='));
    const reset = flags(args, 'reset')
      .flatMap((r) => r.split(','))
      .filter(Boolean);
    checkModelConfigKeys([...sets, ...keys, ...reset]);
    const resets = reset.map((key) => `${key}=${MODEL_CONFIG_DEFAULTS[key]}`);
    if (sets.length || resets.length) {
      if (keys.length) throw usageError('cannot set and retrieve model values simultaneously');
      await context.withModel(async (sim) => sim.modelConfig([...resets, ...sets]));
      return 0;
    }
    const format = outputFormat(args, ['tabular', 'json', 'yaml'], 'tabular');
    const { state } = context.readModel();
    const interval = state.updateStatusIntervalSeconds;
    const value = interval % 60 === 0 ? `${interval / 60}m` : `${interval}s`;
    const settings = {
      'update-status-hook-interval': {
        Value: value,
        Source: interval === 300 ? 'default' : 'model',
      },
    };
    if (keys.length === 1) {
      context.out(`${value}\n`);
      return 0;
    }
    if (format === 'tabular') {
      context.out(`Attribute                    From     Value\n`);
      context.out(
        `update-status-hook-interval  ${settings['update-status-hook-interval'].Source.padEnd(7)}  ${value}\n`,
      );
      return 0;
    }
    context.out(formatted(settings, format));
    return 0;
  },
};

const version: JujuCommand = {
  name: 'version',
  usage: '',
  summary: 'the Juju version charm-sim stands for',
  model: false,
  flags: { format: { type: 'string' }, all: { type: 'boolean' } },
  run: async (context) => {
    const { args } = context;
    noMoreThan(args, 0);
    const format = outputFormat(args, ['smart', 'json', 'yaml'], 'smart');
    const text = `${JUJU_VERSION}-genericlinux-${arch()}`;
    if (format === 'smart') {
      context.out(`${text}\n`);
      return 0;
    }
    context.out(formatted(isSet(args, 'all') ? { version: text } : text, format));
    return 0;
  },
};

/** The model and client commands. */
export const MODEL_COMMANDS: readonly JujuCommand[] = [
  addModel,
  destroyModel,
  models,
  showModel,
  switchModel,
  modelConfig,
  version,
];
