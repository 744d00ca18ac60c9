/**
 * The juju commands that change applications: deploy, refresh, config, integrate,
 * remove-relation, add-unit, remove-unit, scale-application, remove-application, resolve.
 * Unlike Juju's, they return once the hooks they cause have run; a hook that fails leaves its
 * unit in error (shown by `status`) and the command still succeeds, as in Juju.
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { configWithDefaults } from '@charm-ts/ops/metadata';
import { parse } from 'yaml';
import type { AppState } from '../model.ts';
import type { Simulator } from '../simulator.ts';
import { flag, flags, isSet, type JujuArgs, noMoreThan, outputFormat } from './args.ts';
import type { JujuCommand } from './context.ts';
import { JujuError, unsupported, usageError } from './errors.ts';
import { formatted } from './output.ts';
import { sortKeys } from './tasks.ts';

/** A whole number of units from a flag or argument. */
function count(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw usageError(`${what} must be a positive integer, got "${text}"`);
  return Number(text);
}

/** The `name=value` pairs of `--resource` flags. */
function resources(args: JujuArgs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of flags(args, 'resource')) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw usageError(`invalid resource "${value}": expected name=value`);
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

/**
 * `--config` values as `key=value` pairs: each is a pair, or a YAML file of settings by
 * application name (`app: {key: value}`), as juju deploy and config take them.
 */
function configPairs(values: readonly string[], app: string): string[] {
  const pairs: string[] = [];
  for (const value of values) {
    if (value.includes('=') || !existsSync(value)) {
      pairs.push(value);
      continue;
    }
    let doc: unknown;
    try {
      doc = parse(readFileSync(value, 'utf8'));
    } catch (cause) {
      throw new JujuError(`cannot read config file ${value}: ${(cause as Error).message}`);
    }
    const byApp = (doc ?? {}) as Record<string, unknown>;
    // Deployed without a name: the file's one application is the one deployed.
    const names = Object.keys(byApp);
    const key = app || (names.length === 1 ? (names[0] as string) : '');
    const settings = byApp[key];
    if (settings === undefined) {
      throw new JujuError(
        app
          ? `config file ${value} has no settings for "${app}"`
          : `config file ${value} has settings for ${names.length} applications: give the application's name`,
      );
    }
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
      throw new JujuError(`config file ${value}: "${app}" must map option names to values`);
    }
    for (const [key, v] of Object.entries(settings)) pairs.push(`${key}=${String(v)}`);
  }
  return pairs;
}

/** Whether `charm` is a path (Juju reads `./x` and `/x` as local, anything else as Charmhub). */
function localCharm(charm: string): string {
  if (!charm.startsWith('.') && !charm.startsWith('/')) {
    throw unsupported(
      `deploying "${charm}" from Charmhub`,
      'deploy a local .charm file, e.g. juju deploy ./dist/x.charm',
    );
  }
  if (existsSync(charm) && statSync(charm).isDirectory()) {
    throw unsupported(
      `deploying a charm directory or bundle (${charm})`,
      'pack it first (pnpm build) and deploy the .charm file',
    );
  }
  if (/\.ya?ml$/.test(charm)) throw unsupported(`bundles (${charm})`);
  return charm;
}

const deploy: JujuCommand = {
  name: 'deploy',
  usage: '<charm path> [<application name>]',
  summary: 'deploy a local .charm (its oci-image resources recorded, not pulled)',
  flags: {
    config: { type: 'string', multiple: true },
    resource: { type: 'string', multiple: true },
    'num-units': { type: 'string', short: 'n' },
    trust: { type: 'boolean' },
    base: { type: 'string' },
    force: { type: 'boolean' },
  },
  unsupportedFlags: {
    channel: { type: 'string' },
    revision: { type: 'string' },
    constraints: { type: 'string', multiple: true },
    storage: { type: 'string', multiple: true },
    'attach-storage': { type: 'string' },
    to: { type: 'string' },
    bind: { type: 'string' },
    overlay: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    series: { type: 'string' },
    'map-machines': { type: 'string' },
  },
  run: async (context) => {
    const { args } = context;
    const [charm, appName] = args.positionals;
    if (charm === undefined) throw usageError('no charm name specified');
    noMoreThan(args, 2);
    const file = localCharm(charm);
    const units = count(flag(args, 'num-units') ?? '1', '--num-units');
    const config = configPairs(flags(args, 'config'), appName ?? '');
    const given = resources(args);
    await context.withModel(async (sim) => {
      await sim.deploy(file, {
        ...(appName ? { app: appName } : {}),
        config,
        resources: given,
        units,
        trust: isSet(args, 'trust'),
        requireImages: true,
      });
    });
    return 0;
  },
};

const refresh: JujuCommand = {
  name: 'refresh',
  aliases: ['upgrade-charm'],
  usage: '<application> --path <charm path>',
  summary: 'upgrade an application to a new build of its local charm',
  flags: {
    path: { type: 'string' },
    force: { type: 'boolean' },
    'force-base': { type: 'boolean' },
    'force-units': { type: 'boolean' },
    trust: { type: 'boolean' },
    base: { type: 'string' },
  },
  unsupportedFlags: {
    channel: { type: 'string' },
    revision: { type: 'string' },
    resource: { type: 'string', multiple: true },
    config: { type: 'string', multiple: true },
    storage: { type: 'string', multiple: true },
    switch: { type: 'string' },
  },
  run: async (context) => {
    const { args } = context;
    const app = args.positionals[0];
    if (app === undefined) throw usageError('no application specified');
    noMoreThan(args, 1);
    const path = flag(args, 'path');
    if (path === undefined) {
      throw unsupported(
        'refreshing from Charmhub',
        `give the new build: juju refresh ${app} --path ./x.charm`,
      );
    }
    await context.withModel(async (sim) => sim.refresh(app, localCharm(path)));
    return 0;
  },
};

/** `juju config APP --format json`: Juju's document (keys sorted, as Go writes maps). */
function configDocument(app: AppState): Record<string, unknown> {
  const effective = configWithDefaults(app.charm.config, app.config);
  const settings: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(app.charm.config)) {
    settings[key] = {
      ...(option.default !== undefined && option.default !== null
        ? { default: option.default }
        : {}),
      description: option.description ?? '',
      source: key in app.config ? 'user' : 'default',
      type: option.type,
      ...(key in effective ? { value: effective[key] } : {}),
    };
  }
  return sortKeys({
    application: app.name,
    'application-config': {
      trust: {
        default: false,
        description: 'Does this application have access to trusted credentials',
        source: app.trust ? 'user' : 'default',
        type: 'bool',
        value: app.trust === true,
      },
    },
    charm: app.charm.name,
    settings,
  }) as Record<string, unknown>;
}

const config: JujuCommand = {
  name: 'config',
  usage: '<application name> [--reset <key[,key]>] [<attribute-key>][=<value>] ...',
  summary: "show or change an application's config (runs config-changed)",
  flags: {
    format: { type: 'string' },
    reset: { type: 'string', multiple: true },
    file: { type: 'string' },
  },
  unsupportedFlags: { branch: { type: 'string' }, color: { type: 'boolean' } },
  run: async (context) => {
    const { args } = context;
    const [app, ...rest] = args.positionals;
    if (app === undefined) throw usageError('no application name specified');
    const sets = rest.filter((a) => a.includes('='));
    const keys = rest.filter((a) => !a.includes('='));
    const reset = flags(args, 'reset')
      .flatMap((r) => r.split(','))
      .filter(Boolean);
    const file = flag(args, 'file');
    const fromFile = file ? configPairs([file], app) : [];
    if (sets.length || reset.length || fromFile.length) {
      if (keys.length) throw usageError('cannot set and retrieve values simultaneously');
      await context.withModel((sim) => sim.config(app, [...fromFile, ...sets], reset));
      return 0;
    }
    if (keys.length > 1) throw usageError('can only retrieve a single value, or all values');
    const format = outputFormat(args, ['yaml', 'json'], 'yaml');
    const { state } = context.readModel();
    const info = state.apps[app];
    if (!info) throw new JujuError(`application "${app}" not found`);
    const doc = configDocument(info);
    if (keys.length === 1) {
      const key = keys[0] as string;
      const setting = (doc.settings as Record<string, { value?: unknown }>)[key];
      if (!setting)
        throw new JujuError(
          `key "${key}" not found in "${app}" application config or charm settings.`,
        );
      const value = setting.value;
      context.out(
        format === 'json'
          ? formatted(value ?? null, 'json')
          : `${value === undefined ? '' : String(value)}\n`,
      );
      return 0;
    }
    context.out(formatted(doc, format));
    return 0;
  },
};

const integrate: JujuCommand = {
  name: 'integrate',
  aliases: ['relate', 'add-relation'],
  usage: '<application>[:<endpoint>] <application>[:<endpoint>]',
  summary: 'relate two applications',
  unsupportedFlags: { via: { type: 'string' } },
  run: async (context) => {
    const [a, b] = context.args.positionals;
    if (a === undefined || b === undefined) {
      throw usageError('an integration must involve two applications');
    }
    noMoreThan(context.args, 2);
    await context.withModel((sim) => sim.integrate(a, b));
    return 0;
  },
};

const removeRelation: JujuCommand = {
  name: 'remove-relation',
  usage: '<application1>[:<endpoint>] <application2>[:<endpoint>]',
  summary: 'remove a relation (departed, then broken)',
  flags: { force: { type: 'boolean' }, 'no-prompt': { type: 'boolean' } },
  run: async (context) => {
    const [a, b] = context.args.positionals;
    if (a === undefined || b === undefined) {
      throw usageError('a relation must involve two applications');
    }
    noMoreThan(context.args, 2);
    await context.withModel((sim) => sim.removeRelation(a, b));
    return 0;
  },
};

/** The live (not dying) units of an application. */
function liveUnits(sim: Simulator, app: string): string[] {
  const info = sim.state.apps[app];
  if (!info) throw new JujuError(`application "${app}" not found`);
  return info.units.filter((u) => !sim.state.units[u]?.dying);
}

const addUnit: JujuCommand = {
  name: 'add-unit',
  usage: '<application name>',
  summary: 'add units (new pods) to an application',
  flags: { 'num-units': { type: 'string', short: 'n' } },
  unsupportedFlags: { to: { type: 'string' }, 'attach-storage': { type: 'string' } },
  run: async (context) => {
    const app = context.args.positionals[0];
    if (app === undefined) throw usageError('no application specified');
    noMoreThan(context.args, 1);
    const n = count(flag(context.args, 'num-units') ?? '1', '--num-units');
    if (n < 1) throw usageError('--num-units must be a positive integer');
    await context.withModel((sim) => sim.scale(app, liveUnits(sim, app).length + n));
    return 0;
  },
};

const removeUnit: JujuCommand = {
  name: 'remove-unit',
  usage: '<application name> --num-units N | <unit name>...',
  summary: 'remove units (stop, departed, broken, remove)',
  flags: {
    'num-units': { type: 'string' },
    'no-prompt': { type: 'boolean' },
    force: { type: 'boolean' },
    'destroy-storage': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  },
  run: async (context) => {
    const { args } = context;
    const targets = args.positionals;
    if (!targets.length) throw usageError('no application or units specified');
    const n = flag(args, 'num-units');
    await context.withModel(async (sim) => {
      if (n !== undefined) {
        if (targets.length !== 1 || targets[0]?.includes('/')) {
          throw usageError('--num-units takes one application name');
        }
        const app = targets[0] as string;
        const live = liveUnits(sim, app).length;
        const remove = count(n, '--num-units');
        if (remove < 1 || remove > live) {
          throw new JujuError(`cannot remove ${remove} units of ${app}: it has ${live}`);
        }
        await sim.scale(app, live - remove);
        return;
      }
      for (const unit of targets) {
        if (!unit.includes('/')) {
          throw usageError(`removing units of "${unit}" needs --num-units N`);
        }
        await sim.removeUnit(unit);
      }
    });
    return 0;
  },
};

const scaleApplication: JujuCommand = {
  name: 'scale-application',
  usage: '<application> <scale>',
  summary: 'set the number of units of an application',
  run: async (context) => {
    const [app, scale] = context.args.positionals;
    if (app === undefined || scale === undefined)
      throw usageError('no application and scale specified');
    noMoreThan(context.args, 2);
    const n = count(scale, 'scale');
    await context.withModel((sim) => sim.scale(app, n));
    return 0;
  },
};

const removeApplication: JujuCommand = {
  name: 'remove-application',
  usage: '<application> [<application>...]',
  summary: 'remove applications, their relations and units',
  flags: {
    'no-prompt': { type: 'boolean' },
    force: { type: 'boolean' },
    'destroy-storage': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  },
  unsupportedFlags: { 'dry-run': { type: 'boolean' } },
  run: async (context) => {
    const apps = context.args.positionals;
    if (!apps.length) throw usageError('no application specified');
    await context.withModel(async (sim) => {
      for (const app of apps) {
        context.err(`will remove application ${app}\n`);
        await sim.removeApplication(app);
      }
    });
    return 0;
  },
};

const resolve: JujuCommand = {
  name: 'resolve',
  aliases: ['resolved'],
  usage: '<unit> [<unit>...]',
  summary: 'retry the hook a unit failed',
  unsupportedFlags: { 'no-retry': { type: 'boolean' }, all: { type: 'boolean' } },
  run: async (context) => {
    const units = context.args.positionals;
    if (!units.length) throw usageError('no unit specified');
    await context.withModel(async (sim) => {
      for (const unit of units) await sim.resolve(unit);
    });
    return 0;
  },
};

/** The application commands. */
export const APP_COMMANDS: readonly JujuCommand[] = [
  deploy,
  refresh,
  config,
  integrate,
  removeRelation,
  addUnit,
  removeUnit,
  scaleApplication,
  removeApplication,
  resolve,
];
