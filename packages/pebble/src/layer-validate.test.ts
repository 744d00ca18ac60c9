import { describe, expect, it } from 'vitest';
import { LayerValidationError } from './errors.ts';
import { validateLayer } from './layer-validate.ts';

function keyOf(layer: unknown, label?: string): string | undefined {
  try {
    validateLayer(layer, label);
    return undefined;
  } catch (error) {
    if (!(error instanceof LayerValidationError)) throw error;
    return error.key;
  }
}

describe('validateLayer', () => {
  it('accepts a full, valid layer and returns it', () => {
    const layer = {
      summary: 's',
      description: '',
      services: {
        web: {
          override: 'replace',
          command: 'srv --port 80 [ --debug ]',
          startup: 'enabled',
          after: ['db'],
          environment: { A: '' },
          'user-id': 0,
          'on-success': 'failure-shutdown',
          'on-failure': 'success-shutdown',
          'on-check-failure': { alive: 'ignore' },
          'backoff-delay': '1s',
          'backoff-factor': 1,
          'backoff-limit': '1m',
          'kill-delay': '0',
          workload: '',
        },
        partial: { override: 'merge', summary: undefined, user: null },
      },
      checks: {
        alive: {
          override: 'replace',
          level: 'alive',
          period: '5s',
          http: { url: 'http://x/', headers: { A: 'b' } },
        },
        merged: { override: 'merge', threshold: 2 },
        exec: { override: 'replace', exec: { command: 'true', 'service-context': 'web' } },
      },
      'log-targets': {
        loki: {
          override: 'replace',
          type: 'loki',
          location: 'http://l/',
          services: ['all', '-web'],
        },
      },
      workloads: { w: { override: 'replace', 'user-id': 1000 } },
      pairing: { mode: 'single' },
    };
    expect(validateLayer(layer, 'label')).toBe(layer);
  });

  it('names the key of every refusal', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'layer'],
      [{ bogus: {} }, 'bogus'],
      [{ summary: 3 }, 'summary'],
      [{ services: [] }, 'services'],
      [{ services: { a: null } }, 'services.a'],
      [{ services: { a: { command: 'x' } } }, 'services.a.override'],
      [{ services: { a: { override: 'update' } } }, 'services.a.override'],
      [{ services: { pebble: { override: 'merge' } } }, 'services.pebble'],
      [{ services: { '-a': { override: 'merge' } } }, 'services.-a'],
      [{ services: { a: { override: 'merge', startup: 'on' } } }, 'services.a.startup'],
      [{ services: { a: { override: 'merge', after: 'b' } } }, 'services.a.after'],
      [
        { services: { a: { override: 'merge', environment: { N: 1 } } } },
        'services.a.environment.N',
      ],
      [{ services: { a: { override: 'merge', 'user-id': '0' } } }, 'services.a.user-id'],
      [{ services: { a: { override: 'merge', 'user-id': 1.5 } } }, 'services.a.user-id'],
      [
        { services: { a: { override: 'merge', 'on-success': 'success-shutdown' } } },
        'services.a.on-success',
      ],
      [
        { services: { a: { override: 'merge', 'on-failure': 'failure-shutdown' } } },
        'services.a.on-failure',
      ],
      [
        { services: { a: { override: 'merge', 'on-check-failure': { c: 'boom' } } } },
        'services.a.on-check-failure.c',
      ],
      [
        { services: { a: { override: 'merge', 'backoff-factor': 0.99 } } },
        'services.a.backoff-factor',
      ],
      [{ services: { a: { override: 'merge', 'backoff-delay': 5 } } }, 'services.a.backoff-delay'],
      [
        { services: { a: { override: 'merge', 'backoff-limit': '1d' } } },
        'services.a.backoff-limit',
      ],
      [{ services: { a: { override: 'merge', command: 'x "open' } } }, 'services.a.command'],
      [{ services: { a: { override: 'replace' } } }, 'services.a.command'],
      [{ checks: { c: { override: 'replace' } } }, 'checks.c'],
      [
        { checks: { c: { override: 'merge', http: { url: 'x' }, exec: { command: 'y' } } } },
        'checks.c',
      ],
      [{ checks: { c: { override: 'replace', http: {} } } }, 'checks.c.http.url'],
      [{ checks: { c: { override: 'replace', tcp: { host: 'h' } } } }, 'checks.c.tcp.port'],
      [{ checks: { c: { override: 'merge', http: { uri: 'x' } } } }, 'checks.c.http.uri'],
      [{ checks: { c: { override: 'merge', level: 'live' } } }, 'checks.c.level'],
      [{ checks: { c: { override: 'merge', startup: 'auto' } } }, 'checks.c.startup'],
      [{ checks: { c: { override: 'merge', timeout: '0s' } } }, 'checks.c.timeout'],
      [{ checks: { c: { override: 'merge', exec: { command: "'x" } } } }, 'checks.c.exec.command'],
      [{ 'log-targets': { t: { override: 'merge', type: 'splunk' } } }, 'log-targets.t.type'],
      [
        { 'log-targets': { t: { override: 'merge', labels: { pebble_x: 'y' } } } },
        'log-targets.t.labels.pebble_x',
      ],
      [{ 'log-targets': { t: { override: 'replace', type: 'loki' } } }, 'log-targets.t.location'],
      [{ workloads: { w: { override: 'merge', user: 3 } } }, 'workloads.w.user'],
      [{ pairing: { mode: 'all' } }, 'pairing.mode'],
    ];
    for (const [layer, key] of cases) expect(keyOf(layer), JSON.stringify(layer)).toBe(key);
  });

  it('checks the label', () => {
    expect(keyOf({}, 'pebble-x')).toBe('label');
    expect(keyOf({}, '')).toBe('label');
    expect(keyOf({}, 'dir/label')).toBeUndefined();
  });

  it('says what would fix it', () => {
    expect(() =>
      validateLayer({ services: { a: { override: 'merge', 'kill-delay': '5' } } }),
    ).toThrow(
      'services.a.kill-delay: must be a Go duration string such as "500ms" or "1m30s", not "5"',
    );
    expect(() => validateLayer({ services: { a: { override: 'merge', comand: 'x' } } })).toThrow(
      /services\.a\.comand: unknown key; expected one of override, summary, description, command/,
    );
  });
});
