import { describe, expect, it } from 'vitest';
import * as errors from './errors.ts';

// A second copy of the module, as a packed charm has one in pebble.cjs and one in charm.cjs.
// (A query makes the test runner load the file again; a variable keeps tsc from resolving it.)
const secondCopy = './errors.ts?second-copy';
const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof errors;

describe('errors across two copies of the module', () => {
  it('the copy really is another module', () => {
    expect(copy.ChangeError).not.toBe(errors.ChangeError);
  });

  it('instanceof holds for each class and its ancestors, and only for them', () => {
    const path = new copy.PathError('/x', 'not-found', 'no such file');
    expect(path instanceof errors.PathError).toBe(true);
    expect(path instanceof errors.PebbleError).toBe(true);
    expect(path instanceof errors.ChangeError).toBe(false);
    expect(path instanceof errors.APIError).toBe(false);
    const notSupported = new copy.NotSupportedError('GET /v1/x', 'not found');
    expect(notSupported instanceof errors.NotSupportedError).toBe(true);
    expect(notSupported instanceof errors.APIError).toBe(true);
    expect(new copy.APIError(400, 'bad') instanceof errors.NotSupportedError).toBe(false);
  });

  it('a subclass declared elsewhere is checked by prototype, and is still its parent', () => {
    class Mine extends errors.TimeoutError {}
    const mine = new Mine('slow');
    expect(mine instanceof Mine).toBe(true);
    expect(mine instanceof copy.TimeoutError).toBe(true);
    expect(new errors.TimeoutError('slow') instanceof Mine).toBe(false);
  });

  it('plain errors and look-alikes are not Pebble errors', () => {
    expect(new Error('x') instanceof errors.PebbleError).toBe(false);
    expect(({ code: 'PEBBLE_CHANGE' } as object) instanceof errors.ChangeError).toBe(false);
    expect((null as unknown as object) instanceof errors.PebbleError).toBe(false);
  });
});
