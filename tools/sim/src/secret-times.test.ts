import { describe, expect, test, vi } from 'vitest';
import type { SecretState } from './model.ts';
import { stampSecrets } from './secret-times.ts';

const secret = (over: Partial<SecretState> = {}): SecretState => ({
  id: 'secret:abc',
  ownerKind: 'application',
  owner: 'app',
  revisions: [{ revision: 1, content: { key: 'v1' } }],
  grants: [],
  consumers: {},
  ...over,
});

describe('stampSecrets', () => {
  test('a new secret is created and updated now, each revision created when it came', () => {
    vi.useFakeTimers({ now: new Date('2026-01-02T03:04:05Z') });
    try {
      const after = { 'secret:abc': secret() };
      stampSecrets({}, after, new Set(['secret:abc']));
      expect(after['secret:abc']).toMatchObject({
        created: '2026-01-02T03:04:05.000Z',
        updated: '2026-01-02T03:04:05.000Z',
        revisions: [{ revision: 1, created: '2026-01-02T03:04:05.000Z' }],
      });

      vi.setSystemTime(new Date('2026-01-02T04:00:00Z'));
      const before = structuredClone(after);
      const next = structuredClone(after);
      next['secret:abc']?.revisions.push({ revision: 2, content: { key: 'v2' } });
      stampSecrets(before, next, new Set(['secret:abc']));
      expect(next['secret:abc']).toMatchObject({
        created: '2026-01-02T03:04:05.000Z',
        updated: '2026-01-02T04:00:00.000Z',
        revisions: [
          { revision: 1, created: '2026-01-02T03:04:05.000Z' },
          { revision: 2, created: '2026-01-02T04:00:00.000Z' },
        ],
      });
    } finally {
      vi.useRealTimers();
    }
  });

  test('a consumer reading a secret does not update it; a new label does', () => {
    const before = { s: secret({ created: 'c', updated: 'u' }) };
    const read = {
      s: secret({ created: 'c', updated: 'u', consumers: { 'x/0': { revision: 1 } } }),
    };
    stampSecrets(before, read, new Set());
    expect(read.s).toMatchObject({ created: 'c', updated: 'u' });
    const relabelled = { s: secret({ created: 'c', updated: 'u', label: 'db' }) };
    stampSecrets(before, relabelled, new Set());
    expect(relabelled.s.updated).not.toBe('u');
  });
});
