import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeContext, fakeModel } from '../test/fake-context.ts';
import { queueDueSecretEvents, SECRET_RETRY_MS } from './secret-timers.ts';

describe('secret-rotate and secret-expired', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('fire on the owner when due, again after the retry delay, and stop once rotated', () => {
    const model = fakeModel();
    const owner = fakeContext(model, 'a/0');
    // The tools read the clock: it is set, so the rotation times below are exact.
    vi.setSystemTime('2030-01-01T00:00:00Z');
    const id = owner
      .run('secret-add', ['--rotate', 'hourly', '--expire', '2h', 'key=one'])
      .stdout.trim();
    model.secrets = owner.ctx.draft.secrets;
    const start = Date.parse('2030-01-01T00:00:00Z');
    expect(queueDueSecretEvents(model, start)).toBe(false);

    expect(queueDueSecretEvents(model, start + 3_600_000 + 1000)).toBe(true);
    expect(model.units['a/0']?.queue).toEqual([{ hook: 'secret-rotate', secretId: id }]);
    expect(queueDueSecretEvents(model, start + 3_600_000 + 2000)).toBe(false);
    expect(queueDueSecretEvents(model, start + 3_600_000 + 1000 + SECRET_RETRY_MS)).toBe(true);

    const rotatedAt = start + 3_600_000 + 5000;
    vi.setSystemTime(rotatedAt);
    const rotate = fakeContext(model, 'a/0');
    rotate.run('secret-set', [id, 'key=two']);
    model.secrets = rotate.ctx.draft.secrets;
    const secret = model.secrets[id];
    expect(Date.parse(secret?.nextRotate ?? '')).toBe(rotatedAt + 3_600_000);
    expect(secret?.expire).toBeUndefined();
  });

  test('secret-expired names the revision; removing it stops the repeats', () => {
    const model = fakeModel();
    const owner = fakeContext(model, 'a/0');
    const id = owner
      .run('secret-add', ['--expire', '2030-01-01T00:00:00Z', 'key=one'])
      .stdout.trim();
    model.secrets = owner.ctx.draft.secrets;
    const info = JSON.parse(owner.run('secret-info-get', [id, '--format=json']).stdout);
    expect(Object.values(info)[0]).toMatchObject({ expiry: '2030-01-01T00:00:00.000Z' });
    const after = Date.parse('2030-01-01T00:00:01Z');
    expect(queueDueSecretEvents(model, after)).toBe(true);
    expect(model.units['a/0']?.queue).toEqual([
      { hook: 'secret-expired', secretId: id, secretRevision: 1 },
    ]);
    const remove = fakeContext(model, 'a/0');
    remove.run('secret-set', [id, 'key=two']);
    remove.run('secret-remove', [id, '--revision', '2']);
    model.secrets = remove.ctx.draft.secrets;
    expect(queueDueSecretEvents(model, after + SECRET_RETRY_MS * 2)).toBe(false);
  });

  test('bad policies and expiries are usage errors', () => {
    const { run } = fakeContext(fakeModel(), 'a/0');
    expect(run('secret-add', ['--rotate', 'often', 'key=x']).stderr).toMatch(
      /^ERROR invalid rotate policy "often"/,
    );
    expect(run('secret-add', ['--expire', 'someday', 'key=x'])).toMatchObject({ code: 2 });
  });
});
