import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';

describe('storage-get, storage-list, storage-add', () => {
  test('the storage hook’s instance by default; any by -s', () => {
    const { run } = fakeContext(fakeModel(), 'a/0', {
      hook: 'data-storage-attached',
      storageId: 'data/0',
    });
    expect(run('storage-get', ['--format=json']).stdout).toBe(
      '{"kind":"filesystem","location":"/srv"}\n',
    );
    expect(run('storage-get', ['-s', 'data/0', 'location']).stdout).toBe('/srv\n');
    expect(run('storage-list', []).stdout).toBe('data/0\n');
    expect(run('storage-get', ['-s', 'data/9'])).toMatchObject({
      code: 2,
      stderr: 'ERROR invalid value "data/9" for option -s: storage instance "data/9" not found\n',
    });
    expect(run('storage-add', ['data=1']).code).toBe(1);
  });

  test('outside a storage hook, -s is needed', () => {
    const { run } = fakeContext(fakeModel(), 'a/0', { hook: 'start' });
    expect(run('storage-get', [])).toMatchObject({
      code: 2,
      stderr: 'ERROR no storage instance specified\n',
    });
  });
});
