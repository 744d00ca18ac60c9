import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Controller, controllerDir, modelName } from './controller.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'juju-controller-'));
  dirs.push(dir);
  return Controller.load(join(dir, 'home'));
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Controller', () => {
  test('models get short directories of their own; the current one is kept', () => {
    const controller = fresh();
    const a = controller.add('jubilant-1a2b3c4d');
    const b = controller.add('other');
    expect(a.dir).toBe(join(controller.dir, 'm0'));
    expect(b.dir).toBe(join(controller.dir, 'm1'));
    controller.switchTo('other');
    controller.save();
    const again = Controller.load(controller.dir);
    expect(again.current).toBe('other');
    expect(again.models['jubilant-1a2b3c4d']).toEqual(a);
    expect(again.uuid).toBe(controller.uuid);
    expect(statSync(controller.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(controller.dir, 'controller.json')).mode & 0o777).toBe(0o600);
    expect(
      JSON.parse(readFileSync(join(controller.dir, 'controller.json'), 'utf8')).nextModel,
    ).toBe(2);
  });

  test('names are checked, and taken only once', () => {
    const controller = fresh();
    expect(() => controller.add('Bad_Name')).toThrow(
      '"Bad_Name" is not a valid name: model names may only contain lowercase letters, digits and hyphens',
    );
    controller.add('m');
    expect(() => controller.add('m')).toThrow('model "m" for admin already exists');
  });

  test('the model a command uses: --model (any form), else $JUJU_MODEL, else the current one', () => {
    const controller = fresh();
    controller.add('a');
    controller.add('b');
    expect(() => controller.resolve(undefined, {})).toThrow(/^no current model/);
    controller.switchTo('a');
    expect(controller.resolve(undefined, {})[0]).toBe('a');
    expect(controller.resolve(undefined, { JUJU_MODEL: 'b' })[0]).toBe('b');
    expect(controller.resolve('charm-sim:admin/b', {})[0]).toBe('b');
    expect(controller.resolve('admin/b', {})[0]).toBe('b');
    expect(() => controller.resolve('c', {})).toThrow('model charm-sim:admin/c not found');
    expect(() => controller.resolve('microk8s:b', {})).toThrow(/^controller microk8s not found/);
    controller.remove('a');
    expect(controller.current).toBeUndefined();
  });

  test('its directory: $CHARM_SIM_JUJU_HOME, else under $XDG_DATA_HOME', () => {
    expect(controllerDir({ CHARM_SIM_JUJU_HOME: '/tmp/j' })).toBe('/tmp/j');
    expect(controllerDir({ XDG_DATA_HOME: '/data' })).toBe('/data/charm-sim-juju');
    expect(modelName('x')).toBe('x');
  });
});
