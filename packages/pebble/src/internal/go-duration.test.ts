import { describe, expect, it } from 'vitest';
import { formatGoDuration, normalizeGoDuration, parseGoDuration } from './go-duration.ts';

describe('Go durations', () => {
  it('normalises as Go Duration.String() writes them', () => {
    const cases: Array<[string, string]> = [
      ['90s', '1m30s'],
      ['1h', '1h0m0s'],
      ['1.5h', '1h30m0s'],
      ['1500ms', '1.5s'],
      ['500ms', '500ms'],
      ['0', '0s'],
      ['0s', '0s'],
      ['-1s', '-1s'],
      ['100ns', '100ns'],
      ['1500ns', '1.5µs'],
      ['2us', '2µs'],
      ['1.000000001s', '1.000000001s'],
      ['2h45m', '2h45m0s'],
      ['1m0.5s', '1m0.5s'],
      ['100s', '1m40s'],
      ['.5s', '500ms'],
    ];
    for (const [input, expected] of cases) expect(normalizeGoDuration(input), input).toBe(expected);
  });

  it('refuses what Go refuses', () => {
    for (const bad of ['', '5', '1d', '-', '.s', 's', '1.5', 'ms', '10 s', '1e3s']) {
      expect(parseGoDuration(bad), JSON.stringify(bad)).toBeUndefined();
    }
    expect(parseGoDuration('9999999999h')).toBeUndefined();
  });

  it('keeps nanosecond precision', () => {
    expect(parseGoDuration('1h1ns')).toBe(3_600_000_000_001n);
    expect(formatGoDuration(3_600_000_000_001n)).toBe('1h0m0.000000001s');
  });
});
