import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { which } from './binaries.ts';
import { defaultStateDir, loadModel, lockStateDir, newModel, saveModel } from './store.ts';

describe('state directory', () => {
  test('default: $CHARM_SIM_HOME, else XDG data home, else ~/.local/share', () => {
    expect(defaultStateDir({ CHARM_SIM_HOME: '/x/y' })).toBe('/x/y');
    expect(defaultStateDir({ XDG_DATA_HOME: '/d' })).toBe('/d/charm-sim');
    expect(defaultStateDir({})).toMatch(/\/\.local\/share\/charm-sim$/);
  });

  test('save then load round-trips; corrupt state names the fix', () => {
    const dir = tempDir('sim-store-');
    const model = newModel(dir);
    model.nextActionId = 9;
    saveModel(dir, model);
    expect(loadModel(dir)).toEqual(model);
    writeFileSync(join(dir, 'state.json'), '{');
    expect(() => loadModel(dir)).toThrow(/state.json is not valid JSON .*charm-sim destroy/);
  });

  test('one process at a time; a stale lock is taken over', () => {
    const dir = tempDir('sim-lock-');
    writeFileSync(join(dir, 'lock'), '1');
    expect(() => lockStateDir(dir)).toThrow(/in use by charm-sim process 1/);
    writeFileSync(join(dir, 'lock'), '999999999');
    const release = lockStateDir(dir);
    release();
  });
});

// Issue 11, item 2: checked as another, unprivileged user (nobody), not only by mode bits.
const asNobodyMissing =
  process.getuid?.() !== 0
    ? 'reading as another user needs root (setpriv): run the tests as root'
    : which('setpriv')
      ? undefined
      : 'setpriv missing: apt-get install -y util-linux';
if (asNobodyMissing && process.env.CI) throw new Error(`state permissions: ${asNobodyMissing}`);

/** Runs argv as user and group 65534 (nobody) with no supplementary groups; its exit status. */
function asNobody(argv: string[]): number | null {
  const setpriv = which('setpriv') as string;
  return spawnSync(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv]).status;
}

describe.skipIf(asNobodyMissing)('state directory permissions', () => {
  test('a state dir that already existed world-readable becomes private', () => {
    const parent = tempDir('sim-perm-');
    chmodSync(parent, 0o755); // as a home directory is: others may pass through
    writeFileSync(join(parent, 'public.txt'), 'x', { mode: 0o644 });
    const dir = join(parent, 'state');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const release = lockStateDir(dir);
    saveModel(dir, newModel(dir));
    release();
    // The check itself can fail: nobody reads a world-readable file beside the state dir.
    expect(asNobody(['cat', join(parent, 'public.txt')])).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(asNobody(['ls', dir])).not.toBe(0);
    expect(asNobody(['cat', join(dir, 'state.json')])).not.toBe(0);
    // state.json on its own is private too (were the directory opened again).
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
    chmodSync(dir, 0o755);
    expect(asNobody(['cat', join(dir, 'state.json')])).not.toBe(0);
  });

  test('state.json written over an older world-readable one is private', () => {
    const dir = tempDir('sim-perm-old-');
    writeFileSync(join(dir, 'state.json'), '{}', { mode: 0o644 });
    saveModel(dir, newModel(dir));
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
  });

  test('a state dir another user owns is refused, naming it and the fix', () => {
    const dir = join(tempDir('sim-perm-owner-'), 'state');
    mkdirSync(dir, { mode: 0o755 });
    chownSync(dir, 65534, 65534);
    expect(() => lockStateDir(dir)).toThrow(
      `${dir} belongs to user 65534, not to you (0): it holds secret contents, so charm-sim uses only a state directory of its own; use another --state-dir`,
    );
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });
});
