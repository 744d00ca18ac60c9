import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LayerValidationError } from './errors.ts';
import { layerToYaml, normalizeLayer, parseLayer } from './layer-yaml.ts';
import type { Layer } from './types.ts';

describe('layerToYaml', () => {
  it('never drops a falsy value, only undefined and null', () => {
    const layer: Layer = {
      summary: '',
      services: {
        root: {
          override: 'replace',
          command: 'sleep 1000',
          'user-id': 0,
          'group-id': 0,
          startup: undefined,
          description: '',
          environment: { EMPTY: '', ZERO: '0' },
          after: [],
          'backoff-factor': 1,
          user: null as unknown as string,
        },
      },
    };
    const text = layerToYaml(layer);
    expect(parse(text)).toEqual({
      summary: '',
      services: {
        root: {
          override: 'replace',
          command: 'sleep 1000',
          'user-id': 0,
          'group-id': 0,
          description: '',
          environment: { EMPTY: '', ZERO: '0' },
          after: [],
          'backoff-factor': 1,
        },
      },
    });
    expect(text).toContain('user-id: 0');
  });

  it('quotes strings a YAML 1.1 reader would take for booleans or numbers', () => {
    const text = layerToYaml({
      services: {
        s: { override: 'merge', environment: { A: 'yes', B: 'on', C: '1:20', D: 'y', E: '1' } },
      },
    });
    for (const value of ['"yes"', '"on"', '"1:20"', '"y"', '"1"']) expect(text).toContain(value);
  });

  it('round-trips through parseLayer', () => {
    const layer: Layer = {
      services: { s: { override: 'merge', command: 'sh -c \'echo "hi"\'', 'kill-delay': '1s' } },
      checks: { c: { override: 'replace', tcp: { port: 80, host: '' }, threshold: 0 } },
    };
    expect(parseLayer(layerToYaml(layer))).toEqual(layer);
  });
});

describe('parseLayer', () => {
  it('parses and validates YAML text', () => {
    expect(parseLayer('services:\n  a:\n    override: merge\n    user-id: 0\n')).toEqual({
      services: { a: { override: 'merge', 'user-id': 0 } },
    });
    expect(parseLayer('')).toEqual({});
  });

  it('refuses bad YAML and invalid layers with LayerValidationError', () => {
    expect(() => parseLayer('services: [')).toThrow(LayerValidationError);
    expect(() => parseLayer('services:\n  a:\n    command: x\n')).toThrow('services.a.override');
    expect(() => parseLayer('services:\n  a:\n    override: merge\n    kill-delay: 10\n')).toThrow(
      'services.a.kill-delay',
    );
  });
});

describe('parseLayer reads scalars as Pebble does', () => {
  it('keeps the text of plain numbers and booleans where Pebble wants strings', () => {
    const layer = parseLayer(
      [
        'summary: 2024',
        'services:',
        '  s:',
        '    override: merge',
        '    command: sleep 1000',
        '    environment: {PORT: 8080, DEBUG: true, RATIO: 1.50, OCT: 0o17}',
        '    after: [1, yes]',
        '    user-id: 0',
        '    group-id: 0x10',
        '    backoff-factor: 1.50',
        'checks:',
        '  c:',
        '    override: merge',
        '    threshold: 3',
        '    tcp: {port: 8080, host: 10}',
      ].join('\n'),
    );
    expect(layer).toEqual({
      summary: '2024',
      services: {
        s: {
          override: 'merge',
          command: 'sleep 1000',
          environment: { PORT: '8080', DEBUG: 'true', RATIO: '1.50', OCT: '0o17' },
          after: ['1', 'yes'],
          'user-id': 0,
          'group-id': 16,
          'backoff-factor': 1.5,
        },
      },
      checks: { c: { override: 'merge', threshold: 3, tcp: { port: 8080, host: '10' } } },
    });
  });

  it('still refuses a non-integer where Pebble wants one', () => {
    expect(() => parseLayer('services:\n  s:\n    override: merge\n    user-id: root\n')).toThrow(
      'services.s.user-id: must be an integer',
    );
  });
});

describe('normalizeLayer', () => {
  it('reads a layer object as Pebble reads the JSON text the client sends', () => {
    const layer: Layer = {
      summary: 'x',
      services: {
        web: {
          override: 'replace',
          command: 'run',
          'user-id': 0,
          'backoff-factor': 1.5,
          environment: { PORT: 8080 as unknown as string, ON: true as unknown as string, E: '' },
          after: ['db'],
        },
      },
      checks: { up: { override: 'replace', threshold: 2, tcp: { port: 80 } } },
    };
    const expected = parseLayer(JSON.stringify(layer));
    expect(normalizeLayer(layer)).toEqual(expected);
    expect(normalizeLayer(layer)).toEqual(parseLayer(layerToYaml(layer)));
    expect(normalizeLayer(layer).services?.web?.environment).toEqual({
      PORT: '8080',
      ON: 'true',
      E: '',
    });
    expect(normalizeLayer(layer).services?.web?.['user-id']).toBe(0);
  });
});
