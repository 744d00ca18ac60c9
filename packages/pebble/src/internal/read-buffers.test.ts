import { describe, expect, it } from 'vitest';
import { collectEvery, type Gc, obtainGc, ReadBufferCollector } from './read-buffers.ts';

describe('ReadBufferCollector', () => {
  it('runs a young-generation GC once per 4 MiB received, obtaining gc only then', () => {
    const calls: unknown[] = [];
    let obtained = 0;
    const collector = new ReadBufferCollector(() => {
      obtained++;
      return (options) => calls.push(options);
    });
    const chunk = 64 * 1024;
    for (let received = 0; received < collectEvery - chunk; received += chunk) {
      collector.received(chunk);
    }
    expect(obtained).toBe(0);
    for (let received = 0; received < 7 * 1024 * 1024; received += chunk) {
      collector.received(chunk);
    }
    expect(collectEvery).toBe(4 * 1024 * 1024);
    expect(calls).toEqual([{ type: 'minor' }, { type: 'minor' }]);
  });

  it('goes on without collecting where no gc can be had', () => {
    const collector = new ReadBufferCollector(() => undefined);
    expect(() => collector.received(64 * 1024 * 1024)).not.toThrow();
  });
});

describe('obtainGc', () => {
  it('hands out a working gc without --expose-gc, the same one every time', () => {
    const gc = obtainGc() as Gc;
    expect(typeof gc).toBe('function');
    expect(() => gc({ type: 'minor' })).not.toThrow();
    expect(obtainGc()).toBe(gc);
  });
});
