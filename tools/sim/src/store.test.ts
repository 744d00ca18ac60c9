import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
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
