/**
 * The state directory: where it is, the lock that serialises commands, loading and saving the
 * model.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { SimError } from './errors.ts';
import { tryLockFile } from './lock-file.ts';
import { MODEL_VERSION, type ModelState } from './model.ts';
import { preferredSubnet } from './network.ts';

/**
 * The default state directory: `$CHARM_SIM_HOME`, else `$XDG_DATA_HOME/charm-sim`, else
 * `~/.local/share/charm-sim`.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHARM_SIM_HOME) return resolve(env.CHARM_SIM_HOME);
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(data, 'charm-sim');
}

/**
 * The bridge of the model in `dir`: a name derived from its path, so that even a state file
 * that cannot be read names it.
 */
export function bridgeName(dir: string): string {
  const hash = createHash('sha256').update(resolve(dir)).digest();
  return `csim${hash.subarray(2, 5).toString('hex')}`;
}

/** A fresh, empty model for a state directory. */
export function newModel(dir: string): ModelState {
  const hash = createHash('sha256').update(resolve(dir)).digest();
  return {
    version: MODEL_VERSION,
    uuid: randomUUID(),
    name: 'sim',
    subnet: preferredSubnet(hash[1] ?? 0),
    bridge: bridgeName(dir),
    nextRelationId: 0,
    nextActionId: 1,
    updateStatusIntervalSeconds: 300,
    apps: {},
    units: {},
    relations: {},
    secrets: {},
    actions: [],
  };
}

/**
 * Loads the model from `dir`, or a fresh one when there is none yet.
 * @throws SimError `STATE_CORRUPT` when state.json is not valid JSON, or in another format.
 */
export function loadModel(dir: string): ModelState {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return newModel(dir);
  let model: ModelState;
  try {
    model = JSON.parse(readFileSync(file, 'utf8')) as ModelState;
  } catch (cause) {
    throw new SimError(
      'STATE_CORRUPT',
      `${file} is not valid JSON (${(cause as Error).message}): run charm-sim destroy --force`,
    );
  }
  if (model.version !== MODEL_VERSION) {
    throw new SimError(
      'STATE_CORRUPT',
      `${file} is in format ${JSON.stringify(model.version)}, written by another charm-sim (this one reads format ${MODEL_VERSION}): run charm-sim destroy --force, then deploy again`,
    );
  }
  return model;
}

/**
 * Writes the model atomically: a new file (mode 0600: it holds secret contents) renamed over
 * state.json, so a killed process leaves the old state or the new one, never half of one. (Not
 * fsync'd: that would add ~10 ms to every save, several per hook, against power loss only.)
 */
export function saveModel(dir: string, model: ModelState): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'state.json');
  writePrivateFile(file, `${JSON.stringify(model, null, 1)}\n`);
}

/** Writes `file` atomically with mode 0600, whatever mode an older one had. */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Makes `dir` (and its missing parents) private: mode 0700 when this user owns it, even when
 * it already existed with another mode.
 * @throws SimError `STATE_UNSAFE` when `dir` is a symlink, not a directory, or another user's.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    throw new SimError(
      'STATE_UNSAFE',
      `${dir} is not a directory of its own (a symlink or a file): use another --state-dir`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new SimError(
      'STATE_UNSAFE',
      `${dir} belongs to user ${stat.uid}, not to you (${uid}): it holds secret contents, so charm-sim uses only a state directory of its own; use another --state-dir`,
    );
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

// State directories this process holds, so two Simulators in one process cannot share one.
const held = new Set<string>();

/**
 * Takes the state directory's lock, so two commands never run hooks at once, after making the
 * directory private (see {@link ensurePrivateDir}). A lock left by a process that is gone is
 * taken over, by exactly one of the processes that want it (see lock-file.ts).
 * Returns the release function.
 * @throws SimError `STATE_LOCKED` when a live process (or this one) holds it, `STATE_UNSAFE`.
 */
export function lockStateDir(dir: string): () => void {
  if (held.has(dir)) {
    throw new SimError('STATE_LOCKED', `${dir} is already open in this process: close() it first`);
  }
  // Private: state.json holds secret contents, as Juju's database does.
  ensurePrivateDir(dir);
  const lock = join(dir, 'lock');
  let result: ReturnType<typeof tryLockFile>;
  try {
    result = tryLockFile(lock);
  } catch (cause) {
    throw new SimError(
      'STATE_LOCKED',
      `cannot lock ${lock}: ${(cause as Error).message}; remove it if no charm-sim is running`,
      { cause },
    );
  }
  if (!result.held) {
    throw new SimError(
      'STATE_LOCKED',
      `${dir} is in use by charm-sim process ${result.pid}: wait for it, or use another --state-dir`,
    );
  }
  held.add(dir);
  const release = result.release;
  return () => {
    held.delete(dir);
    release();
  };
}
