import { describe, expect, test } from 'vitest';
import { fakeModel } from '../test/fake-context.ts';
import { status, type UnitState } from './model.ts';
import { formatStatus, statusView } from './status-view.ts';

describe('statusView', () => {
  test('app status is derived from the worst unit when the leader set none', () => {
    const model = fakeModel();
    (model.units['a/0'] as UnitState).workloadStatus = status('active', 'ok');
    (model.units['a/1'] as UnitState).workloadStatus = status('blocked', 'need config');
    const view = statusView(model);
    expect(view.apps.find((a) => a.name === 'a')).toMatchObject({
      status: 'blocked',
      message: 'need config',
      scale: 2,
    });
    expect(view.units.find((u) => u.name === 'a/0')).toMatchObject({
      leader: true,
      address: '10.1.1.2',
    });
    expect(view.relations).toEqual([
      { id: 0, provider: 'a:peers', requirer: 'a:peers', interface: 'demo-peers', type: 'peer' },
      { id: 3, provider: 'a:db', requirer: 'b:backend', interface: 'pg', type: 'regular' },
    ]);
  });

  test('formats like juju status, leader starred', () => {
    const text = formatStatus(statusView(fakeModel()));
    expect(text).toMatch(/^Model\s+Controller\s+Cloud\/Region\s+Version\nsim\s+charm-sim/);
    expect(text).toMatch(/\na\/0\*\s+waiting\s+idle\s+10\.1\.1\.2\s+installing agent\n/);
    expect(text).toContain('Integration provider');
  });

  test('hooks waiting to run are shown, not run: status is read-only', () => {
    const model = fakeModel();
    const unit = model.units['a/1'] as UnitState;
    unit.queue.push({ hook: 'install' }, { hook: 'config-changed' });
    unit.running = { hook: 'leader-settings-changed' };
    const view = statusView(model);
    expect(view.units.find((u) => u.name === 'a/1')).toMatchObject({
      queued: 3,
      next: 'leader-settings-changed',
    });
    expect(formatStatus(view)).toContain(
      "Hooks queued: a/1 (3, next leader-settings-changed). The next charm-sim command that changes the model runs them; charm-sim resolve UNIT runs a stuck unit's now.",
    );
  });
});
