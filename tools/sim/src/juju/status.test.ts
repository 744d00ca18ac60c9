import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sampleModel } from '../../test/juju-model.ts';
import { jujuStatus } from './status.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'juju-status-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const context = {
  model: 'demo',
  controller: 'charm-sim',
  created: '2026-03-01T09:59:00Z',
  stateDir,
};

describe('jujuStatus', () => {
  test("Juju 3.6's document for a Kubernetes model", () => {
    mkdirSync(join(stateDir, 'charms', 'web-1'), { recursive: true });
    writeFileSync(
      join(stateDir, 'charms', 'web-1', 'manifest.yaml'),
      'bases:\n- name: ubuntu\n  channel: "22.04"\n  architectures: [amd64]\n',
    );
    const doc = jujuStatus(sampleModel(), context) as Record<string, Record<string, unknown>>;
    expect(doc.model).toEqual({
      name: 'demo',
      type: 'caas',
      controller: 'charm-sim',
      cloud: 'charm-sim',
      region: 'localhost',
      version: '3.6.4',
      'model-status': { current: 'available', since: '01 Mar 2026 09:59:00Z' },
      sla: 'unsupported',
    });
    expect(doc.machines).toEqual({});
    expect(doc.controller?.timestamp).toMatch(/^\d\d:\d\d:\d\dZ$/);
    const web = doc.applications?.web;
    expect(web).toEqual({
      charm: 'local:webapp-0',
      base: { name: 'ubuntu', channel: '22.04' },
      'charm-origin': 'local',
      'charm-name': 'webapp',
      'charm-rev': 0,
      scale: 2,
      exposed: false,
      // No status set by the leader: the most severe of the units'.
      'application-status': {
        current: 'error',
        message: 'hook failed: "install"',
        since: '01 Mar 2026 10:00:05Z',
      },
      relations: {
        peers: [{ 'related-application': 'web', interface: 'web-peers', scope: 'global' }],
        database: [{ 'related-application': 'db', interface: 'pg', scope: 'global' }],
      },
      units: {
        'web/0': {
          'workload-status': {
            current: 'active',
            message: 'serving',
            since: '01 Mar 2026 10:00:05Z',
          },
          'juju-status': { current: 'idle', since: '01 Mar 2026 10:00:05Z', version: '3.6.4' },
          leader: true,
          address: '10.213.7.2',
          'provider-id': 'web-0',
          'open-ports': ['9000/tcp'],
        },
        'web/1': {
          'workload-status': {
            current: 'error',
            message: 'hook failed: "install"',
            since: '01 Mar 2026 10:00:05Z',
          },
          'juju-status': {
            current: 'error',
            message: 'hook failed: "install"',
            since: '01 Mar 2026 10:00:05Z',
            version: '3.6.4',
          },
          address: '10.213.7.3',
          'provider-id': 'web-1',
        },
      },
      version: '2.1',
      'endpoint-bindings': { '': 'alpha', peers: 'alpha', database: 'alpha' },
    });
    // No manifest: no base; a refreshed charm's revision counts from 0 as Juju's.
    expect(doc.applications?.db).toMatchObject({ charm: 'local:pg-1', 'charm-rev': 1 });
    expect(doc.applications?.db).not.toHaveProperty('base');
  });

  test('selectors keep the applications named (or whose units are)', () => {
    const doc = jujuStatus(sampleModel(), { ...context, selectors: ['db/0'] });
    expect(Object.keys(doc.applications as object)).toEqual(['db']);
  });

  test('units sort by number, and a dying one says so', () => {
    const model = sampleModel();
    const app = model.apps.web;
    if (!app) throw new Error('no web');
    const template = model.units['web/0'];
    if (!template) throw new Error('no web/0');
    for (const n of [2, 10]) {
      model.units[`web/${n}`] = { ...template, name: `web/${n}`, dying: true };
      app.units.push(`web/${n}`);
    }
    const doc = jujuStatus(model, context) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    const units = doc.applications?.web?.units as Record<string, Record<string, unknown>>;
    expect(Object.keys(units)).toEqual(['web/0', 'web/1', 'web/2', 'web/10']);
    expect(units['web/10']?.life).toBe('dying');
  });
});
