import { describe, expect, test } from 'vitest';
import { flattenResults } from './actions.ts';
import { parsePortSpec, portFromText, portText } from './ports.ts';
import { nextRotation, parseExpiry } from './secret-times.ts';

describe('ports', () => {
  test('argument forms become Juju’s text; text and Port convert both ways', () => {
    expect(parsePortSpec('8080')).toBe('8080/tcp');
    expect(parsePortSpec('1000-1000/udp')).toBe('1000/udp');
    expect(parsePortSpec('icmp')).toBe('icmp');
    expect(() => parsePortSpec('0')).toThrow('invalid port or range "0"');
    expect(() => parsePortSpec('20-10')).toThrow('invalid port or range "20-10"');
    for (const text of ['80/tcp', '8000-8999/udp', 'icmp']) {
      expect(portText(portFromText(text))).toBe(text);
    }
  });
});

describe('secret times', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test('--expire is a Go duration from now or an RFC 3339 time', () => {
    expect(parseExpiry('1h30m', now)).toBe('2026-01-01T01:30:00.000Z');
    expect(parseExpiry('2026-02-01T00:00:00Z', now)).toBe('2026-02-01T00:00:00.000Z');
    expect(() => parseExpiry('soon', now)).toThrow('invalid expiry "soon"');
  });
  test('rotation falls due one period on; never does not', () => {
    expect(nextRotation('daily', now)).toBe('2026-01-02T00:00:00.000Z');
    expect(nextRotation('never', now)).toBeUndefined();
  });
});

describe('flattenResults', () => {
  test('nested results as the dotted keys they were set with', () => {
    expect(flattenResults({ out: { size: '10' }, ok: 'yes' })).toEqual({
      'out.size': '10',
      ok: 'yes',
    });
  });
});
