import { describe, expect, it } from 'vitest';
import { LayerValidationError } from './errors.ts';
import { combineLayers, mergeLayers, validatePlan } from './layer-combine.ts';
import type { Layer, Plan } from './types.ts';

const empty = { services: {}, checks: {}, 'log-targets': {} };

describe('combineLayers', () => {
  it('gives the empty plan for no layers', () => {
    expect(combineLayers([])).toEqual(empty);
  });

  it('replaces whole entries and merges field by field', () => {
    const layers: Layer[] = [
      {
        services: {
          a: {
            override: 'replace',
            command: 'one',
            summary: 'first',
            after: ['x'],
            environment: { A: '1', B: '1' },
            'on-check-failure': { c: 'restart' },
            'user-id': 1000,
          },
          b: { override: 'replace', command: 'b', environment: { OLD: '1' } },
        },
      },
      {
        services: {
          a: {
            override: 'merge',
            command: '',
            after: ['y'],
            environment: { B: '2', C: '' },
            'on-check-failure': { d: 'ignore' },
            'user-id': 0,
            'kill-delay': '120s',
          },
          b: { override: 'replace', command: 'b2' },
        },
      },
    ];
    expect(combineLayers(layers).services).toEqual({
      a: {
        override: 'replace',
        command: 'one',
        summary: 'first',
        after: ['x', 'y'],
        environment: { A: '1', B: '2', C: '' },
        'on-check-failure': { c: 'restart', d: 'ignore' },
        'user-id': 0,
        'kill-delay': '2m0s',
      },
      b: { override: 'replace', command: 'b2' },
    });
  });

  it('merges check sub-objects field by field and applies check defaults', () => {
    const plan = combineLayers([
      { checks: { c: { override: 'replace', tcp: { port: 80 }, period: '5s', timeout: '1m' } } },
      { checks: { c: { override: 'merge', tcp: { host: 'db' }, threshold: 0 } } },
      { checks: { h: { override: 'merge', http: { url: 'http://x/', headers: { A: '1' } } } } },
      { checks: { h: { override: 'merge', http: { headers: { B: '2' } }, timeout: '2s' } } },
    ]);
    expect(plan.checks).toEqual({
      c: {
        override: 'replace',
        tcp: { port: 80, host: 'db' },
        period: '5s',
        timeout: '5s',
        threshold: 3,
      },
      h: {
        override: 'merge',
        http: { url: 'http://x/', headers: { A: '1', B: '2' } },
        timeout: '2s',
        threshold: 3,
      },
    });
  });

  it('appends log-target services and always writes type, location and services', () => {
    const plan = combineLayers([
      { services: { s: { override: 'replace', command: 'x' } } },
      {
        'log-targets': {
          t: { override: 'merge', type: 'loki', location: 'http://l/', services: ['s'] },
        },
      },
      { 'log-targets': { t: { override: 'merge', services: ['-s'], labels: { a: '' } } } },
      { 'log-targets': { u: { override: 'replace', type: 'syslog', location: 'udp://h:514' } } },
    ]);
    expect(plan['log-targets']).toEqual({
      t: {
        override: 'merge',
        type: 'loki',
        location: 'http://l/',
        services: ['s', '-s'],
        labels: { a: '' },
      },
      u: { override: 'replace', type: 'syslog', location: 'udp://h:514', services: [] },
    });
  });

  it('leaves out Go zero values and has no summary or description', () => {
    const plan = combineLayers([
      {
        summary: 'x',
        services: {
          s: { override: 'merge', command: 'c', description: '', after: [], environment: {} },
        },
      },
    ]);
    expect(plan).toEqual({ ...empty, services: { s: { override: 'merge', command: 'c' } } });
  });

  it('does not change its inputs', () => {
    const first: Layer = { services: { s: { override: 'replace', command: 'c', after: ['a'] } } };
    const second: Layer = { services: { s: { override: 'merge', after: ['b'] } } };
    const copy = structuredClone([first, second]);
    combineLayers([first, second]);
    expect([first, second]).toEqual(copy);
  });

  it('refuses what Pebble refuses, naming the key', () => {
    const cases: Array<[Layer[], string, string]> = [
      [[{ services: { s: { command: 'x' } } }], 'services.s.override', 'must define "override"'],
      [[{ services: { s: { override: 'merge' } } }], 'services.s.command', 'command'],
      [
        [{ checks: { c: { override: 'merge', threshold: 1 } } }],
        'checks.c',
        'exactly one of http, tcp, exec',
      ],
      [
        [
          { checks: { c: { override: 'merge', tcp: { port: 1 } } } },
          { checks: { c: { override: 'merge', http: { url: 'u' } } } },
        ],
        'checks.c',
        'exactly one',
      ],
      [
        [{ checks: { c: { override: 'merge', tcp: { host: 'h' } } } }],
        'checks.c.tcp.port',
        'must set',
      ],
      [
        [
          {
            checks: { c: { override: 'merge', exec: { command: 'x', 'service-context': 'nope' } } },
          },
        ],
        'checks.c.exec.service-context',
        'does not exist',
      ],
      [
        [{ services: { s: { override: 'merge', command: 'x', requires: ['t'] } } }],
        'services.s.requires',
        '"t"',
      ],
      [
        [
          {
            'log-targets': {
              t: { override: 'merge', type: 'loki', location: 'l', services: ['ghost'] },
            },
          },
        ],
        'log-targets.t.services',
        'unknown service "ghost"',
      ],
      [
        [{ 'log-targets': { t: { override: 'merge', location: 'l' } } }],
        'log-targets.t.type',
        'loki',
      ],
      [
        [
          {
            services: {
              b: { override: 'merge', command: 'x', after: ['a'] },
              a: { override: 'merge', command: 'x', after: ['b'] },
            },
          },
        ],
        'services.a',
        'services in before/after loop: a, b',
      ],
      [
        [
          {
            services: {
              a: { override: 'merge', command: 'x', before: ['b'] },
              b: { override: 'merge', command: 'x', before: ['a'] },
            },
          },
        ],
        'services.a',
        'before/after loop',
      ],
    ];
    for (const [layers, key, text] of cases) {
      let caught: unknown;
      try {
        combineLayers(layers);
      } catch (error) {
        caught = error;
      }
      expect(caught, key).toBeInstanceOf(LayerValidationError);
      expect((caught as LayerValidationError).key, key).toBe(key);
      expect((caught as LayerValidationError).message, key).toContain(text);
    }
  });

  it('accepts after/before naming services outside the plan', () => {
    const plan = combineLayers([
      { services: { s: { override: 'merge', command: 'x', after: ['ghost'] } } },
    ]);
    expect(plan.services.s?.after).toEqual(['ghost']);
  });
});

describe('mergeLayers', () => {
  it('takes summary and description from the last layer and applies no defaults', () => {
    const merged = mergeLayers([
      {
        summary: 'one',
        description: 'first',
        checks: { c: { override: 'merge', tcp: { port: 1 } } },
      },
      { summary: 'two', checks: { c: { override: 'merge', period: '90s' } } },
    ]);
    expect(merged).toEqual({
      summary: 'two',
      checks: { c: { override: 'merge', tcp: { port: 1 }, period: '90s' } },
    });
  });

  it('caps a check timeout at its period, as the layer Pebble stores after combining', () => {
    const stored = mergeLayers([
      { checks: { c: { override: 'replace', period: '5s', timeout: '10s', tcp: { port: 1 } } } },
      { checks: { c: { override: 'merge', threshold: 2 } } },
    ]);
    expect(stored.checks?.c?.timeout).toBe('5s');
    const plan = combineLayers([stored, { checks: { c: { override: 'merge', period: '30s' } } }]);
    expect(plan.checks.c).toMatchObject({ period: '30s', timeout: '5s', threshold: 2 });
  });

  it('keeps the override of the entry it merges into', () => {
    const merged = mergeLayers([
      { services: { s: { override: 'replace', command: 'a' } } },
      { services: { s: { override: 'merge', command: 'b' } } },
    ]);
    expect(merged.services?.s).toEqual({ override: 'replace', command: 'b' });
  });
});

describe('validatePlan', () => {
  it('accepts a valid plan', () => {
    const plan: Plan = { ...empty, services: { s: { override: 'merge', command: 'x' } } };
    expect(() => validatePlan(plan)).not.toThrow();
  });
});
