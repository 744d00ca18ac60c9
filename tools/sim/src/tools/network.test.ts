import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

describe('network-get, unit-get', () => {
  test('network-get answers for endpoints only', () => {
    const { run } = fakeContext(fakeModel(), 'a/1');
    expect(run('network-get', ['db', '--bind-address']).stdout).toBe('10.1.1.3\n');
    const info = JSON.parse(run('network-get', ['db', '--format=json']).stdout);
    expect(info['ingress-addresses']).toEqual(['10.1.1.3']);
    expect(info['bind-addresses'][0]).toMatchObject({ 'interface-name': 'eth0' });
    expect(run('network-get', ['nope']).stderr).toBe(
      'ERROR no network config found for binding "nope"\n',
    );
  });

  test('unit-get prints the unit’s address', () => {
    const { run } = fakeContext(fakeModel(), 'a/1');
    expect(run('unit-get', ['private-address']).stdout).toBe('10.1.1.3\n');
    expect(run('unit-get', ['--format=json', 'public-address']).stdout).toBe('"10.1.1.3"\n');
    expect(run('unit-get', ['nope'])).toMatchObject({ code: 2 });
  });
});
