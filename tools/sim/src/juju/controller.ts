/**
 * The juju front's controller: a directory holding its models, each a charm-sim state
 * directory, and `controller.json` (which model is current, each model's directory, uuid and
 * creation time). Model directories have short names (`m0`, `m1`, …) rather than the model's
 * name: a pod's UNIX socket paths must fit in 107 bytes.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../store.ts';
import { JujuError } from './errors.ts';

/** The controller's name, as `juju status`, `models` and `switch` print it. */
export const CONTROLLER = 'charm-sim';
/** The user every model belongs to. */
export const OWNER = 'admin';

/** One model the controller knows. */
export interface ModelEntry {
  /** Its state directory. */
  readonly dir: string;
  readonly uuid: string;
  /** When it was added (RFC 3339). */
  readonly created: string;
}

/** What controller.json holds. */
export interface ControllerFile {
  readonly uuid: string;
  current?: string;
  nextModel: number;
  models: Record<string, ModelEntry>;
}

/**
 * The controller directory: `$CHARM_SIM_JUJU_HOME`, else `$XDG_DATA_HOME/charm-sim-juju`,
 * else `~/.local/share/charm-sim-juju`.
 */
export function controllerDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHARM_SIM_JUJU_HOME) return resolve(env.CHARM_SIM_JUJU_HOME);
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(data, 'charm-sim-juju');
}

/** The controller in `dir`: its models, the current one. */
export class Controller {
  readonly dir: string;
  private data: ControllerFile;

  private constructor(dir: string, data: ControllerFile) {
    this.dir = dir;
    this.data = data;
  }

  /**
   * Reads the controller in `dir` (an empty one when there is none yet).
   * @throws JujuError when controller.json cannot be read.
   */
  static load(dir: string): Controller {
    const file = join(dir, 'controller.json');
    if (!existsSync(file)) {
      return new Controller(dir, { uuid: randomUUID(), nextModel: 0, models: {} });
    }
    try {
      return new Controller(dir, JSON.parse(readFileSync(file, 'utf8')) as ControllerFile);
    } catch (cause) {
      throw new JujuError(
        `cannot read ${file}: ${(cause as Error).message}: remove it (and the model directories beside it) to start again`,
      );
    }
  }

  get uuid(): string {
    return this.data.uuid;
  }

  /** The current model's name, if any. */
  get current(): string | undefined {
    return this.data.current;
  }

  /** Every model by name. */
  get models(): Readonly<Record<string, ModelEntry>> {
    return this.data.models;
  }

  /**
   * Adds a model named `name` and returns it (its directory is not made yet).
   * @throws JujuError for an invalid name, or one that is taken.
   */
  add(name: string): ModelEntry {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new JujuError(
        `"${name}" is not a valid name: model names may only contain lowercase letters, digits and hyphens`,
        2,
      );
    }
    if (this.data.models[name]) {
      throw new JujuError(
        `failed to create new model: model "${name}" for ${OWNER} already exists (already exists)`,
      );
    }
    const entry = {
      dir: join(this.dir, `m${this.data.nextModel++}`),
      uuid: randomUUID(),
      created: new Date().toISOString(),
    };
    this.data.models[name] = entry;
    return entry;
  }

  /** Forgets the model `name` (and makes no model current if it was). */
  remove(name: string): void {
    delete this.data.models[name];
    if (this.data.current === name) delete this.data.current;
  }

  /**
   * Makes `name` the current model.
   * @throws JujuError when there is no such model.
   */
  switchTo(name: string): void {
    this.find(name);
    this.data.current = name;
  }

  /**
   * The model a command operates on: `ref` (`[controller:][user/]name`, from `--model`), else
   * `$JUJU_MODEL`, else the current one.
   * @throws JujuError when none is selected, the controller is another one, or the model is
   * not known.
   */
  resolve(ref: string | undefined, env: NodeJS.ProcessEnv = process.env): [string, ModelEntry] {
    const given = ref ?? (env.JUJU_MODEL || undefined);
    if (given === undefined) {
      const name = this.data.current;
      if (name === undefined) {
        throw new JujuError(
          'no current model: use juju add-model NAME, or juju switch NAME to select one',
        );
      }
      return [name, this.find(name)];
    }
    const name = modelName(given);
    return [name, this.find(name)];
  }

  /**
   * The model `name`.
   * @throws JujuError when there is none.
   */
  find(name: string): ModelEntry {
    const entry = this.data.models[modelName(name)];
    if (!entry) throw new JujuError(`model ${CONTROLLER}:${OWNER}/${modelName(name)} not found`);
    return entry;
  }

  /** Writes controller.json (atomically, mode 0600, in a private directory). */
  save(): void {
    ensurePrivateDir(this.dir);
    writePrivateFile(join(this.dir, 'controller.json'), `${JSON.stringify(this.data, null, 1)}\n`);
  }
}

/**
 * The bare model name of `[controller:][user/]name`.
 * @throws JujuError when the controller named is not this one.
 */
export function modelName(ref: string): string {
  let rest = ref;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const controller = rest.slice(0, colon);
    if (controller !== CONTROLLER) {
      throw new JujuError(
        `controller ${controller} not found: charm-sim's juju has one controller, ${CONTROLLER}`,
      );
    }
    rest = rest.slice(colon + 1);
  }
  const slash = rest.indexOf('/');
  return slash >= 0 ? rest.slice(slash + 1) : rest;
}
