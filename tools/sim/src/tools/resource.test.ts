import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fakeContext, fakeModel } from '../../test/fake-context.ts';
import { tempDir } from '../../test/temp.ts';

describe('resource-get', () => {
  test('prints where an uploaded file resource is, and names the fix otherwise', () => {
    const model = fakeModel();
    const charm = model.apps.a?.charm as { resources: Record<string, unknown> };
    charm.resources = { blob: { type: 'file', filename: 'blob.bin' } };
    const host = tempDir('sim-res-');
    const { run } = fakeContext(model, 'a/0', undefined, undefined, host);
    expect(run('resource-get', ['blob']).stderr).toBe(
      'ERROR could not download resource: resource#a/blob not uploaded: deploy with --resource blob=PATH\n',
    );
    mkdirSync(join(host, 'resources', 'blob'), { recursive: true });
    writeFileSync(join(host, 'resources', 'blob', 'blob.bin'), 'x');
    expect(run('resource-get', ['blob']).stdout).toBe(
      '/var/lib/juju/agents/unit-x/resources/blob/blob.bin\n',
    );
    expect(run('resource-get', ['nope']).stderr).toBe(
      'ERROR could not download resource: resource#a/nope not found\n',
    );
  });
});

describe('unknown tools and --help', () => {
  test('an unknown tool fails; --help answers', () => {
    const { run } = fakeContext(fakeModel(), 'a/0');
    expect(run('pod-spec-set', [])).toMatchObject({
      code: 1,
      stderr: 'ERROR unknown command "pod-spec-set"\n',
    });
    expect(run('relation-get', ['--help']).code).toBe(0);
  });
});
