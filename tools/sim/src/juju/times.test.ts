import { describe, expect, test } from 'vitest';
import { goTime, rfc3339, statusClock, statusSince } from './times.ts';

describe('times as the Juju CLI prints them (UTC)', () => {
  test('status since, controller timestamp, task times, secret times', () => {
    expect(statusSince('2025-02-24T12:03:17.512Z')).toBe('24 Feb 2025 12:03:17Z');
    expect(statusClock(new Date('2025-02-24T07:04:55Z'))).toBe('07:04:55Z');
    expect(goTime('2025-03-01T03:23:26.120Z')).toBe('2025-03-01 03:23:26.12 +0000 UTC');
    expect(goTime('2025-03-01T03:23:26.000Z')).toBe('2025-03-01 03:23:26 +0000 UTC');
    expect(rfc3339('2025-06-03T11:39:23.456Z')).toBe('2025-06-03T11:39:23Z');
    expect(statusSince('not a time')).toBe('');
  });
});
