/**
 * The state directory: where it is, the lock that serialises commands, loading and saving the
 * model.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { SimError } from './errors.ts';
import type { ModelState } from './model.ts';

/**
 * The default state directory: `$CHARM_SIM_HOME`, else `$XDG_DATA_HOME/charm-sim`, else
 * `~/.local/share/charm-sim`.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHARM_SIM_HOME) return resolve(env.CHARM_SIM_HOME);
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(data, 'charm-sim');
}

/** A fresh, empty model for a state directory. */
export function newModel(dir: string): ModelState {
  const hash = createHash('sha256').update(resolve(dir)).digest();
  return {
    version: 1,
    uuid: randomUUID(),
    name: 'sim',
    subnet: `10.${200 + ((hash[0] ?? 0) % 50)}.${hash[1] ?? 0}`,
    bridge: `csim${hash.subarray(2, 5).toString('hex')}`,
    nextRelationId: 0,
    nextActionId: 1,
    nextPodIndex: 0,
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
 * @throws SimError `STATE_CORRUPT` when state.json is not valid JSON.
 */
export function loadModel(dir: string): ModelState {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return newModel(dir);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ModelState;
  } catch (cause) {
    throw new SimError(
      'STATE_CORRUPT',
      `${file} is not valid JSON (${(cause as Error).message}): run charm-sim destroy --force`,
    );
  }
}

/** Writes the model atomically (write, then rename). */
export function saveModel(dir: string, model: ModelState): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'state.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(model, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
}

// State directories this process holds, so two Simulators in one process cannot share one.
const held = new Set<string>();

/**
 * Takes the state directory's lock, so two commands never run hooks at once.
 * Returns the release function.
 * @throws SimError `STATE_LOCKED` when a live process (or this one) holds it.
 */
export function lockStateDir(dir: string): () => void {
  if (held.has(dir)) {
    throw new SimError('STATE_LOCKED', `${dir} is already open in this process: close() it first`);
  }
  // Private: state.json holds secret contents, as Juju's database does.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      held.add(dir);
      return () => {
        held.delete(dir);
        rmSync(lock, { force: true });
      };
    } catch {
      const pid = Number(readFileSync(lock, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new SimError(
          'STATE_LOCKED',
          `${dir} is in use by charm-sim process ${pid}: wait for it, or use another --state-dir`,
        );
      }
      rmSync(lock, { force: true });
    }
  }
  throw new SimError('STATE_LOCKED', `cannot lock ${lock}: remove it if no charm-sim is running`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
