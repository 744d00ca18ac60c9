import { describe, expect, it } from 'vitest';
import { bagChanges } from './bag.ts';

describe('bagChanges', () => {
  it('writes nothing when the bag already is what is wanted', () => {
    expect(bagChanges({ a: '1', b: '2' }, { b: '2', a: '1' })).toEqual({});
  });

  it('sets changed and new keys and deletes stale ones', () => {
    expect(bagChanges({ a: '1', host: '"old"', b: '2' }, { a: '1', b: '3', c: '4' })).toEqual({
      b: '3',
      c: '4',
      host: '',
    });
  });

  it("keeps Juju's own keys", () => {
    const have = { 'ingress-address': '10.0.0.2', 'private-address': '10.0.0.2', host: '"h"' };
    expect(bagChanges(have, { host: '"h"' })).toEqual({});
    expect(bagChanges({ ...have, 'egress-subnets': '10.0.0.2/32' }, {})).toEqual({ host: '' });
  });
});
