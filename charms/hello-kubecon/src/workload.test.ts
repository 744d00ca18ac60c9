import { MemoryPebble } from '@charm-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLayer, gosherveLayer } from './workload.ts';

const pebbles: MemoryPebble[] = [];
function pebble(): MemoryPebble {
  const p = new MemoryPebble();
  pebbles.push(p);
  return p;
}
afterEach(() => {
  for (const p of pebbles.splice(0)) p.close();
});

describe('gosherveLayer', () => {
  it('is the original layer with gosherve v0.3 env names, both webroots, and an HTTP check', () => {
    expect(gosherveLayer('https://example.com/routes')).toEqual({
      summary: 'gosherve layer',
      description: 'pebble config layer for gosherve',
      services: {
        gosherve: {
          override: 'replace',
          summary: 'gosherve',
          command: '/gosherve',
          startup: 'enabled',
          environment: {
            GOSHERVE_REDIRECT_MAP_URL: 'https://example.com/routes',
            GOSHERVE_WEBROOT: '/srv/site',
            REDIRECT_MAP_URL: 'https://example.com/routes',
            WEBROOT: '/srv/site',
          },
        },
      },
      checks: {
        'gosherve-ready': {
          override: 'replace',
          level: 'ready',
          period: '10s',
          threshold: 3,
          http: { url: 'http://localhost:8080/' },
        },
      },
    });
  });
});

describe('applyLayer', () => {
  it('replans on a new plan, then does nothing while nothing changes', async () => {
    const p = pebble();
    expect(await applyLayer(p, gosherveLayer('http://a/routes'))).toBe('replanned');
    expect((await p.listServices())[0]?.current).toBe('active');
    const changes = (await p.listChanges({ select: 'all' })).length;
    expect(await applyLayer(p, gosherveLayer('http://a/routes'))).toBe('unchanged');
    expect(await p.listChanges({ select: 'all' })).toHaveLength(changes);
  });

  it('restarts gosherve when the redirect map changes', async () => {
    const p = pebble();
    await applyLayer(p, gosherveLayer('http://a/routes'));
    expect(await applyLayer(p, gosherveLayer('http://b/routes'))).toBe('replanned');
    const plan = await p.getPlan();
    expect(plan.services.gosherve?.environment?.GOSHERVE_REDIRECT_MAP_URL).toBe('http://b/routes');
    const kinds = (await p.listChanges({ select: 'all' })).map((c) => c.kind);
    expect(kinds.filter((k) => k === 'replan')).toHaveLength(2);
  });

  it('starts a stopped gosherve without touching the plan', async () => {
    const p = pebble();
    await applyLayer(p, gosherveLayer('http://a/routes'));
    await p.stopServices(['gosherve']);
    expect(await applyLayer(p, gosherveLayer('http://a/routes'))).toBe('started');
    expect((await p.listServices())[0]?.current).toBe('active');
  });
});
