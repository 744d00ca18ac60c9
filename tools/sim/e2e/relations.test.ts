import { join } from 'node:path';
import { waitForPort } from '@charm-ts/pebble/testing';
import { describe, expect, test } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { missingRequirement } from '../test/probe.ts';
import { tempDir } from '../test/temp.ts';
import { events, relationId, useProbeModel } from './support.ts';

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`charm-sim e2e cannot run: ${missing}`);

describe.skipIf(missing)(
  `ops-probe: relations, leadership, secrets${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const stateDir = join(tempDir('sim-e2e-'), 'state');
    let sim: Simulator;
    let charm: string;

    useProbeModel(stateDir, async (opened, packed) => {
      sim = opened;
      charm = packed;
      await sim.deploy(charm, { app: 'db', units: 2 });
      await sim.deploy(charm, { app: 'client' });
    });

    test('deploy runs install → leader-elected → config-changed → start, then pebble-ready', async () => {
      // Through an action once, so the charm itself reports what it stored.
      const info = await sim.runAction('db/0', 'info');
      expect(JSON.parse(String(info.results.events))).toEqual(await events(sim, 'db/0', true));
      const leader = await events(sim, 'db/0');
      expect(leader.slice(0, 5)).toEqual([
        'install',
        'cluster_relation_created:0:',
        'leader_elected',
        'config_changed',
        'start',
      ]);
      expect(leader).toContain('workload_pebble_ready');
      expect(leader).toContain('cluster_relation_joined:0:db/1');
      const minion = await events(sim, 'db/1');
      expect(minion.slice(0, 5)).toEqual([
        'install',
        'cluster_relation_created:0:',
        'leader_settings_changed',
        'config_changed',
        'start',
      ]);
      const view = sim.state.units['db/1'];
      expect(view?.workloadStatus).toMatchObject({ status: 'active', message: 'hello on 8080' });
      expect(sim.state.apps.db?.version).toBe('1.0');
    });

    test('pods have their own addresses; both units serve port 8080', async () => {
      const a = sim.state.units['db/0']?.address;
      const b = sim.state.units['db/1']?.address;
      expect(a).not.toBe(b);
      for (const [unit, address] of [
        ['db/0', a],
        ['db/1', b],
      ]) {
        // Pebble reports the service started once it ran for a second, not once it listens.
        await waitForPort(address as string, 8080, {
          what: `${unit} to listen on ${address}:8080`,
        });
        const body = await (await fetch(`http://${address}:8080/`)).text();
        expect(body).toBe(`hello from ${unit}\n`);
      }
      const fetched = await sim.runAction('db/1', 'fetch', { url: `http://${a}:8080/` });
      expect(fetched.results).toEqual({ body: 'hello from db/0\n' });
    });

    test('integrate: relation data (unit and app, leader writes), secrets granted', async () => {
      await sim.integrate('db:db', 'client:backend');
      const id = relationId(sim, 'client', 'backend');
      const dbAddress = sim.state.units['db/0']?.address;
      expect(sim.state.units['client/0']?.workloadStatus.message).toBe(
        `backend at http://${dbAddress}:8080`,
      );
      const info = await sim.runAction('client/0', 'info');
      expect(info.results['password-rev']).toBe('1');
      const seen = JSON.parse(String(info.results.events)) as string[];
      expect(seen).toContain(`backend_relation_created:${id}:`);
      expect(seen).toContain(`backend_relation_joined:${id}:db/0`);
      expect(seen).toContain(`backend_relation_joined:${id}:db/1`);
      expect(seen.indexOf(`backend_relation_created:${id}:`)).toBeLessThan(
        seen.indexOf(`backend_relation_joined:${id}:db/0`),
      );
      // Only the leader's app data write happened; a non-leader never wrote the app bag.
      const rel = sim.state.relations[String(id)];
      expect(rel?.appData.db?.endpoint).toBe(`http://${dbAddress}:8080`);
      expect(rel?.unitData['db/1']?.address).toBe(sim.state.units['db/1']?.address);
    });

    test('secret-changed reaches the consumer when the owner adds a revision', async () => {
      const rotated = await sim.runAction('db/0', 'rotate-secret');
      expect(rotated.results).toEqual({ revision: '2' });
      const info = await sim.runAction('client/0', 'info');
      expect(info.results['password-rev']).toBe('2');
      expect(JSON.parse(String(info.results.events))).toContain('secret_changed');
      // The consumer moved to revision 2: the owner is told revision 1 can go, and removes it.
      expect(await events(sim, 'db/0')).toContain('secret_remove');
      const secret = Object.values(sim.state.secrets).find((s) => s.label === 'db-password');
      expect(secret?.revisions.map((r) => r.revision)).toEqual([2]);
      expect(sim.debugLog()).not.toContain('pw-revision');
    });

    test('removing the leader: departed on the others, a new leader is elected', async () => {
      await sim.removeUnit('db/0');
      expect(sim.state.units['db/0']).toBeUndefined();
      expect(sim.state.apps.db?.leader).toBe('db/1');
      const db1 = await events(sim, 'db/1');
      expect(db1).toContain('cluster_relation_departed:0:db/0');
      expect(sim.debugLog({ include: 'db/0' })).toMatch(
        /ran "stop" hook[\s\S]*ran "data-storage-detaching" hook[\s\S]*ran "remove" hook/,
      );
      expect(db1.at(-1)).toBe('leader_elected');
      const client = await events(sim, 'client/0');
      expect(client).toContain(
        `backend_relation_departed:${relationId(sim, 'client', 'backend')}:db/0`,
      );
    });

    test('remove-relation: departed then broken on both sides', async () => {
      const id = relationId(sim, 'client', 'backend');
      await sim.removeRelation('db', 'client');
      const client = await events(sim, 'client/0');
      expect(client.slice(-2)).toEqual([
        `backend_relation_departed:${id}:db/1`,
        `backend_relation_broken:${id}:`,
      ]);
      const db = await events(sim, 'db/1');
      expect(db.slice(-2)).toEqual([
        `db_relation_departed:${id}:client/0`,
        `db_relation_broken:${id}:`,
      ]);
      expect(sim.state.relations[String(id)]).toBeUndefined();
      // What Python ops and the hook tool show: during departed the departing unit is out of
      // Relation.units (relation-list leaves it out; its data stays readable), during broken the
      // relation is gone from both model.relations and relation-ids (Juju 3.4.4 and later).
      const seen = [...sim.debugLog({ include: 'client/0' }).matchAll(/relations seen (\{.*\})/g)]
        .map((m) => JSON.parse(m[1] as string))
        .slice(-2);
      expect(seen).toEqual([
        {
          event: 'backend_relation_departed',
          'model.relations': [id],
          'relation-ids': [`backend:${id}`],
          units: [],
          'remote-unit-keys': ['address'],
        },
        {
          event: 'backend_relation_broken',
          'model.relations': [],
          'relation-ids': [],
          units: [],
          'remote-unit-keys': [],
        },
      ]);
    });

    test('remove-application stops and removes every unit', async () => {
      await sim.removeApplication('client');
      expect(sim.state.apps.client).toBeUndefined();
      expect(sim.state.units['client/0']).toBeUndefined();
    });
  },
);
