import { describe, expect, test } from 'vitest';
import { sampleModel } from '../../test/juju-model.ts';
import { findSecret, secretEntry, secretList } from './secrets.ts';

const model = sampleModel();

describe('secrets', () => {
  test('listed by bare id with what jubilant reads (no content)', () => {
    expect(secretList(model)).toEqual({
      d0vdtqnmp25c762e7jug: {
        revision: 2,
        owner: 'db',
        label: 'db-password',
        created: '2026-03-01T10:00:00Z',
        updated: '2026-03-01T10:00:05Z',
      },
    });
    expect(secretList(model, 'web')).toEqual({});
  });

  test('shown with its content (a revision of it) or its revisions', () => {
    const secret = findSecret(model, 'secret:d0vdtqnmp25c762e7jug');
    expect(findSecret(model, 'd0vdtqnmp25c762e7jug')).toBe(secret);
    expect(findSecret(model, 'db-password')).toBe(secret);
    expect(() => findSecret(model, 'secret:nope')).toThrow('secret "secret:nope" not found');
    expect(secretEntry(secret, { reveal: true }).content).toEqual({ Data: { password: 'two' } });
    expect(secretEntry(secret, { reveal: true, revision: 1 }).content).toEqual({
      Data: { password: 'one' },
    });
    expect(() => secretEntry(secret, { reveal: true, revision: 5 })).toThrow(
      'secret revision 5 not found',
    );
    expect(secretEntry(secret, { revisions: true }).revisions).toEqual([
      {
        revision: 1,
        backend: 'internal',
        created: '2026-03-01T10:00:00Z',
        updated: '2026-03-01T10:00:00Z',
      },
      {
        revision: 2,
        backend: 'internal',
        created: '2026-03-01T10:00:05Z',
        updated: '2026-03-01T10:00:05Z',
      },
    ]);
  });
});
