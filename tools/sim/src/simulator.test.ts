import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fakeModel } from '../test/fake-context.ts';
import { tempDir } from '../test/temp.ts';
import { Simulator } from './simulator.ts';
import { saveModel } from './store.ts';

// What the Simulator does without pods: lookups, errors, the log, model config, the lock.
describe('Simulator without pods', () => {
  let sim: Simulator | undefined;
  afterEach(() => sim?.close());

  test('unknown names are one clear error each', async () => {
    sim = Simulator.open({ stateDir: join(tempDir('sim-api-'), 'state') });
    await expect(sim.config('nope')).rejects.toThrow(
      'application "nope" not found: known applications: (none deployed)',
    );
    await expect(sim.runAction('nope/0', 'x')).rejects.toMatchObject({ code: 'UNKNOWN_UNIT' });
    await expect(sim.resolve('nope/0')).rejects.toMatchObject({ code: 'UNKNOWN_UNIT' });
    await expect(sim.integrate('a', 'b')).rejects.toMatchObject({ code: 'UNKNOWN_APP' });
    await expect(sim.scale('a', 1)).rejects.toMatchObject({ code: 'UNKNOWN_APP' });
  });

  test('a second simulator on the same state directory is refused while the first holds it', () => {
    const stateDir = join(tempDir('sim-api-'), 'state');
    sim = Simulator.open({ stateDir });
    expect(() => Simulator.open({ stateDir })).toThrow(/already open in this process/);
  });

  test('debug-log filters by app or unit, level and count', () => {
    const stateDir = join(tempDir('sim-api-'), 'state');
    sim = Simulator.open({ stateDir });
    writeFileSync(
      join(stateDir, 'debug.log'),
      [
        'unit-web-0: 10:00:00 DEBUG unit.web/0.juju-log a',
        'unit-web-x-0: 10:00:01 INFO unit.web-x/0.juju-log b',
        'unit-web-1: 10:00:02 WARNING unit.web/1.install c',
        'unit-web-0: 10:00:03 ERROR juju.worker.uniter.operation d',
        '',
      ].join('\n'),
    );
    expect(sim.debugLog({ include: 'web' }).match(/ [a-d]$/gm)).toEqual([' a', ' c', ' d']);
    expect(sim.debugLog({ include: 'web/0', level: 'info' })).toBe(
      'unit-web-0: 10:00:03 ERROR juju.worker.uniter.operation d\n',
    );
    expect(sim.debugLog({ lines: 1 })).toMatch(/ d\n$/);
    expect(() => sim?.debugLog({ level: 'loud' })).toThrow('unknown level "loud"');
  });

  test('model-config persists across opens', () => {
    const stateDir = join(tempDir('sim-api-'), 'state');
    const first = Simulator.open({ stateDir });
    expect(first.modelConfig(['update-status-hook-interval=90s'])).toEqual({
      'update-status-hook-interval': '90s',
    });
    first.close();
    sim = Simulator.open({ stateDir });
    expect(sim.modelConfig()).toEqual({ 'update-status-hook-interval': '90s' });
    expect(() => sim?.modelConfig(['update-status-hook-interval=soon'])).toThrow(
      'expects a duration such as 30s or 5m',
    );
  });

  test('scale refuses an unreasonable count up front, before any pod is made', async () => {
    const stateDir = join(tempDir('sim-api-'), 'state');
    saveModel(stateDir, fakeModel());
    sim = Simulator.open({ stateDir });
    await expect(sim.scale('a', 1000)).rejects.toThrow(
      'cannot add 998 units: a charm-sim model has room for 253 pods (one /24 pod subnet per state directory) and 3 are in use; use fewer units, or a second model with another --state-dir',
    );
    await expect(sim.scale('a', -1)).rejects.toThrow(
      'scale expects a whole number ≥ 0 of units, got -1',
    );
    expect(Object.keys(sim.state.units)).toEqual(['a/0', 'a/1', 'b/0']);
  });

  test('resolve on a unit that is neither in error nor stuck says so, with its state', async () => {
    const stateDir = join(tempDir('sim-api-'), 'state');
    saveModel(stateDir, fakeModel());
    sim = Simulator.open({ stateDir });
    await expect(sim.resolve('a/0')).rejects.toThrow(
      'unit a/0 is not in error (workload waiting, agent idle, no hooks queued): nothing to resolve',
    );
  });
});
