/**
 * The notices contract: custom notices recorded, repeated, filtered, and long-polled.
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { APIError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Registers the notices contract tests against the target `makeTarget` builds. */
export function describeNoticesContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('notices contract', () => {
    let pebble: Pebble;

    useTarget(makeTarget, (built) => {
      pebble = built.pebble;
    });

    it('records a custom notice, and repeats it under the same id', async () => {
      const id = await pebble.notify('example.com/contract/one', { data: { k: 'v', empty: '' } });
      const notice = await pebble.getNotice(id);
      expect(notice).toMatchObject({
        id,
        type: 'custom',
        key: 'example.com/contract/one',
        occurrences: 1,
        lastData: { k: 'v', empty: '' },
      });
      expect(notice.lastRepeated).toBeInstanceOf(Date);
      expect(notice.lastRepeatedRaw).toMatch(/^\d{4}-\d\d-\d\dT/);

      const again = await pebble.notify('example.com/contract/one');
      expect(again).toBe(id);
      const repeated = await pebble.getNotice(id);
      expect(repeated.occurrences).toBe(2);
    });

    it('filters by type, key and after', async () => {
      const id = await pebble.notify('example.com/contract/two');
      const byKey = await pebble.listNotices({
        types: ['custom'],
        keys: ['example.com/contract/two'],
      });
      expect(byKey.map((n) => n.id)).toEqual([id]);
      expect(
        await pebble.listNotices({ types: ['warning'], keys: ['example.com/contract/two'] }),
      ).toEqual([]);
      const [notice] = byKey;
      const after = await pebble.listNotices({
        keys: ['example.com/contract/two'],
        after: notice?.lastRepeatedRaw,
      });
      expect(after).toEqual([]);
    });

    it('wakes a long-poll when a matching notice arrives', async () => {
      const key = 'example.com/contract/wake';
      const poll = pebble.listNotices({ keys: [key], timeoutMs: 20_000 });
      await delay(200);
      const id = await pebble.notify(key);
      const notices = await poll;
      expect(notices.map((n) => n.id)).toEqual([id]);
    });

    it('ends a long-poll with [] when nothing arrives in time', async () => {
      expect(
        await pebble.listNotices({ keys: ['example.com/contract/never'], timeoutMs: 150 }),
      ).toEqual([]);
    });

    it('refuses bad keys and oversized data before sending', async () => {
      for (const key of ['no-domain', 'Example.com/x', 'example.com', 'example.com/a b']) {
        expect(await rejectionOf(pebble.notify(key)), key).toBeInstanceOf(TypeError);
      }
      const data = { big: 'x'.repeat(5000) };
      expect(await rejectionOf(pebble.notify('example.com/big', { data }))).toBeInstanceOf(
        TypeError,
      );
    });

    it('answers 404 for an unknown notice', async () => {
      const error = await rejectionOf(pebble.getNotice('999999'));
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(404);
    });
  });
}
