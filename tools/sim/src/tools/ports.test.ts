import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

describe('open-port, close-port, opened-ports', () => {
  test('open and close change the draft; opened-ports shows committed ports', () => {
    const model = fakeModel();
    const { ctx, run } = fakeContext(model, 'a/0');
    expect(run('open-port', ['8080']).code).toBe(0);
    expect(run('open-port', ['53/udp']).code).toBe(0);
    expect(run('open-port', ['1000-1010/tcp']).code).toBe(0);
    expect(run('close-port', ['53/udp']).code).toBe(0);
    expect(ctx.draft.ports).toEqual(['8080/tcp', '1000-1010/tcp']);
    expect(run('opened-ports', []).stdout).toBe('');
    expect(run('open-port', ['99999'])).toMatchObject({
      code: 2,
      stderr: 'ERROR invalid port or range "99999"\n',
    });
  });
});
