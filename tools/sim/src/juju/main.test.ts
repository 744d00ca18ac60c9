import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { jujuMain } from './main.ts';

const home = mkdtempSync(join(tmpdir(), 'juju-main-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs the juju front in-process with its controller in `home`. */
async function juju(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await jujuMain(argv, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    env: { CHARM_SIM_JUJU_HOME: join(home, 'controller') },
  });
  return { code, stdout, stderr };
}

describe('the juju front: command line', () => {
  test('help lists the commands; a command has --help', async () => {
    const help = await juju();
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\n {4}deploy +deploy a local \.charm/);
    expect((await juju('help', 'run')).stdout).toMatch(/^Usage: juju run \[options\] <unit>/);
    expect((await juju('status', '--help')).stdout).toContain('-m, --model');
  });

  test('what is not a command, not supported, or wrong exits 2 naming it', async () => {
    expect(await juju('frobnicate')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR unrecognized command: juju frobnicate\n',
    });
    expect(await juju('offer', 'x:y')).toMatchObject({
      code: 2,
      stderr: `ERROR charm-sim's juju does not support "juju offer": see juju help for what it does\n`,
    });
    expect(await juju('status', '--watch', '2s')).toMatchObject({
      code: 2,
      stderr: `ERROR charm-sim's juju does not support juju status --watch\n`,
    });
    expect(await juju('deploy', 'postgresql-k8s')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('does not support deploying "postgresql-k8s" from Charmhub'),
    });
    expect(await juju('status', '--colour')).toMatchObject({
      code: 2,
      stderr: 'ERROR option provided but not defined: --colour\n',
    });
    expect(await juju('model-config', 'logging-config=<root>=DEBUG')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('does not support model config key "logging-config"'),
    });
  });

  test('without a model: the error says how to get one', async () => {
    expect(await juju('status', '--format', 'json')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR no current model: use juju add-model NAME, or juju switch NAME to select one\n',
    });
    expect((await juju('status', '-m', 'ghost')).stderr).toBe(
      'ERROR model charm-sim:admin/ghost not found\n',
    );
  });

  test('models: add, list, switch, show, version, destroy', async () => {
    expect(await juju('add-model', 'one')).toMatchObject({ code: 0 });
    expect(await juju('add-model', '--no-switch', 'two')).toMatchObject({ code: 0 });
    expect((await juju('add-model', 'one')).stderr).toContain('already exists');
    const listed = JSON.parse((await juju('models', '--format', 'json')).stdout);
    expect(listed['current-model']).toBe('one');
    expect(listed.models.map((m: { name: string }) => m.name)).toEqual(['admin/one', 'admin/two']);
    expect((await juju('switch', 'two')).stderr).toBe(
      'charm-sim:admin/one -> charm-sim:admin/two\n',
    );
    expect((await juju('switch')).stdout).toBe('charm-sim:admin/two\n');
    const shown = JSON.parse((await juju('show-model', 'one', '--format', 'json')).stdout);
    expect(shown.one).toMatchObject({ 'short-name': 'one', 'model-type': 'caas', life: 'alive' });
    const status = JSON.parse((await juju('status', '--format', 'json', '-m', 'one')).stdout);
    expect(status.model.name).toBe('one');
    expect(status.applications).toEqual({});
    expect((await juju('version')).stdout).toMatch(/^3\.6\.4-genericlinux-\w+\n$/);
    expect((await juju('model-config', '--format', 'json')).stdout).toBe(
      '{"update-status-hook-interval":{"Value":"5m","Source":"default"}}\n',
    );
    expect(await juju('destroy-model', 'two', '--no-prompt')).toMatchObject({ code: 0 });
    expect(await juju('destroy-model', 'one', '--no-prompt', '--force')).toMatchObject({ code: 0 });
    expect(JSON.parse((await juju('models', '--format', 'json')).stdout)).toEqual({ models: [] });
  });
});

describe('the juju front: config files', () => {
  test('a --config file must name the application it configures', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = join(home, 'settings.yaml');
    writeFileSync(file, 'a:\n  x: 1\nb:\n  x: 2\n');
    await juju('add-model', 'files');
    expect(await juju('deploy', '/nonexistent/x.charm', '--config', file)).toMatchObject({
      code: 1,
      stderr: `ERROR config file ${file} has settings for 2 applications: give the application's name\n`,
    });
    expect(await juju('config', 'c', '--file', file)).toMatchObject({
      code: 1,
      stderr: `ERROR config file ${file} has no settings for "c"\n`,
    });
    await juju('destroy-model', 'files', '--no-prompt');
  });
});
