import type { ActionMeta } from '@charm-ts/ops/metadata';
import { describe, expect, test } from 'vitest';
import { validateActionParams } from './action-params.ts';

const SPEC: ActionMeta = {
  params: {
    to: { type: 'string' },
    count: { type: 'integer', default: 1 },
    dry: { type: 'boolean' },
  },
  required: ['to'],
  additionalProperties: false,
};

describe('validateActionParams', () => {
  test('applies defaults and keeps typed values; YAML-parsed scalars become strings when needed', () => {
    expect(validateActionParams('backup', SPEC, { to: 123, dry: true })).toEqual({
      to: '123',
      count: 1,
      dry: true,
    });
  });

  test('missing, unknown and mistyped parameters are named', () => {
    expect(() => validateActionParams('backup', SPEC, {})).toThrow(
      'action "backup": missing required parameter "to": pass to=VALUE',
    );
    expect(() => validateActionParams('backup', SPEC, { to: 'x', nope: 1 })).toThrow(
      'action "backup": unknown parameter "nope": known parameters: to, count, dry',
    );
    expect(() => validateActionParams('backup', SPEC, { to: 'x', count: 'many' })).toThrow(
      'action "backup": parameter "count" must be integer, got "many"',
    );
  });
});
