// A Python ops charm on one unit: its containers (writable layer, storage, Pebble notices and
// checks), config, actions, a failing hook, refresh. One model shared by the tests below,
// which run in order.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SimError, type Simulator } from '../src/index.ts';
import { missingRequirement, packProbe } from '../test/probe.ts';
import { tempDir } from '../test/temp.ts';
import { events, relationId, useProbeModel, waitFor } from './support.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`charm-sim e2e cannot run: ${missing}`);

describe.skipIf(missing)(
  `ops-probe: workload, config, actions, errors, refresh${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const stateDir = join(tempDir('sim-e2e-'), 'state');
    let sim: Simulator;
    let charm: string;

    useProbeModel(stateDir, async (opened, packed) => {
      sim = opened;
      charm = packed;
      await sim.deploy(charm, { app: 'web' });
    });

    test('a container is the host read-only under a writable layer; storage is mounted', () => {
      expect(existsSync('/etc/ops-probe.conf')).toBe(false);
      const unit = join(stateDir, 'units', 'web-0');
      expect(readFileSync(join(unit, 'layers/workload/upper/etc/ops-probe.conf'), 'utf8')).toBe(
        'port=8080\n',
      );
      expect(readFileSync(join(unit, 'storage/data/index.html'), 'utf8')).toBe(
        'hello from web/0\n',
      );
    });

    test('config: typed values, config-changed, and clear errors', async () => {
      await sim.config('web', ['greeting=hi', 'ratio=0.5']);
      expect(sim.state.units['web/0']?.workloadStatus.message).toBe('hi on 8080');
      const info = await sim.runAction('web/0', 'info');
      expect(info.results).toMatchObject({
        greeting: 'hi',
        ratio: '0.5',
        port: '8080',
        leader: 'True',
      });
      await expect(sim.config('web', ['port=eighty'])).rejects.toThrow(
        'option "port" expected int, got "eighty"',
      );
      await expect(sim.config('web', ['nope=1'])).rejects.toMatchObject({ code: 'UNKNOWN_KEY' });
      await expect(sim.config('nope', [])).rejects.toMatchObject({ code: 'UNKNOWN_APP' });
    });

    test('actions: failure, unknown action, bad params', async () => {
      const failed = await sim.runAction('web/0', 'fail', { reason: 'testing' });
      expect(failed).toMatchObject({ status: 'failed', message: 'failed because testing' });
      await expect(sim.runAction('web/0', 'nope')).rejects.toThrow(
        'action "nope" not defined on unit "web/0"',
      );
      await expect(sim.runAction('web/0', 'fail', {})).rejects.toMatchObject({
        code: 'BAD_ACTION_PARAMS',
      });
      await expect(sim.runAction('web/9', 'info')).rejects.toBeInstanceOf(SimError);
    });

    test('custom notices, check-failed/-recovered and update-status on an interval', async () => {
      await sim.runAction('web/0', 'notify');
      expect(await events(sim, 'web/0')).toContain(
        'workload_pebble_custom_notice:probe.example/ping',
      );
      await sim.runAction('web/0', 'stop-service');
      expect(await waitFor(sim, 'web/0', 'workload_pebble_check_failed:up')).toContain(
        'workload_pebble_check_failed:up',
      );
      await sim.watch({ durationMs: 1500, pollMs: 250, updateStatusMs: 600 });
      expect(await events(sim, 'web/0')).toContain('update_status');
      await sim.runAction('web/0', 'start-service');
      expect(await waitFor(sim, 'web/0', 'workload_pebble_check_recovered:up')).toContain(
        'workload_pebble_check_recovered:up',
      );
    });

    test('a failed hook puts the unit in error; resolve retries it', async () => {
      await expect(sim.resolve('web/0')).rejects.toMatchObject({ code: 'NOT_IN_ERROR' });
      await sim.config('web', ['fail-hook=update_status']);
      await sim.updateStatus('web/0');
      expect(sim.takeProblems()).toMatchObject([{ unit: 'web/0', hook: 'update-status' }]);
      expect(sim.state.units['web/0']?.workloadStatus).toMatchObject({
        status: 'error',
        message: 'hook failed: "update-status"',
      });
      await sim.config('web', [], ['fail-hook']);
      await sim.resolve('web/0');
      expect(sim.state.units['web/0']?.failedHook).toBeUndefined();
      expect(sim.state.units['web/0']?.workloadStatus.status).toBe('active');
    });

    test('refresh runs the upgrade sequence and a fresh pebble-ready', async () => {
      await sim.refresh('web', charm);
      const seen = await events(sim, 'web/0');
      const from = seen.lastIndexOf('stop');
      expect(seen.slice(from)).toEqual([
        'stop',
        'upgrade_charm',
        'config_changed',
        'start',
        'workload_pebble_ready',
      ]);
      expect(sim.state.apps.web?.charmRevision).toBe(2);
    });

    test('scale up: the new unit joins existing relations; scale down: departed, stop, remove', async () => {
      await sim.scale('web', 2);
      const peerId = Object.values(sim.state.relations)[0]?.id;
      const fresh = await events(sim, 'web/1');
      expect(fresh.slice(0, 5)).toEqual([
        'install',
        `cluster_relation_created:${peerId}:`,
        'leader_settings_changed',
        'config_changed',
        'start',
      ]);
      expect(fresh).toContain(`cluster_relation_joined:${peerId}:web/0`);
      expect(await events(sim, 'web/0')).toContain(`cluster_relation_joined:${peerId}:web/1`);
      await sim.scale('web', 1);
      expect(sim.state.units['web/1']).toBeUndefined();
      expect((await events(sim, 'web/0')).at(-1)).toBe(`cluster_relation_departed:${peerId}:web/1`);
      expect(sim.debugLog({ include: 'web/1' })).toMatch(/ran "stop" hook[\s\S]*ran "remove" hook/);
    });

    test('refresh to a revision with a new peer endpoint: Juju makes that relation (created, no joins alone)', async () => {
      const withReplicas = packProbe((dir) => {
        const metadata = join(dir, 'metadata.yaml');
        const text = readFileSync(metadata, 'utf8');
        writeFileSync(
          metadata,
          text.replace('peers:\n', 'peers:\n  replicas:\n    interface: probe-replicas\n'),
        );
      });
      await sim.refresh('web', withReplicas);
      const replicas = relationId(sim, 'web', 'replicas');
      expect(replicas).toBeGreaterThan(0);
      const seen = await events(sim, 'web/0');
      const from = seen.lastIndexOf('upgrade_charm');
      expect(seen.slice(from)).toContain(`replicas_relation_created:${replicas}:`);
      expect(seen.slice(from).filter((e) => e.startsWith('replicas_relation_joined'))).toEqual([]);
      // Refreshing again to the same revision makes no second relation.
      await sim.refresh('web', withReplicas);
      expect(
        Object.values(sim.state.relations).filter((r) => r.endpoints[0]?.endpoint === 'replicas'),
      ).toHaveLength(1);
    });
  },
);
