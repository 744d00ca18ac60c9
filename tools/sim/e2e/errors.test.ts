// One clear line for the errors a user will hit, through the bundled charm-sim executable,
// a hook that hangs past the timeout, and a model destroyed while a hook hangs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@charm-ts/pebble/testing';
import { describe, expect, test } from 'vitest';
import { Simulator } from '../src/index.ts';
import { missingRequirement, packProbe } from '../test/probe.ts';
import { tempDir } from '../test/temp.ts';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`charm-sim e2e cannot run: ${missing}`);

function charmSim(stateDir: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, '--state-dir', stateDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('charm-sim CLI errors', () => {
  const stateDir = join(tempDir('sim-cli-'), 'state');

  test('--help and an empty status', () => {
    expect(charmSim(stateDir, ['--help']).stdout).toContain('Usage: charm-sim');
    const status = charmSim(stateDir, ['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Model\s+Controller/);
  });

  test('model-config: the update-status interval, and nothing else', () => {
    expect(charmSim(stateDir, ['model-config', 'update-status-hook-interval=2m']).code).toBe(0);
    expect(charmSim(stateDir, ['model-config']).stdout).toBe('update-status-hook-interval: 120s\n');
    expect(charmSim(stateDir, ['model-config', 'logging-config=x']).stderr).toBe(
      'ERROR unknown model config key "logging-config": charm-sim knows update-status-hook-interval\n',
    );
  });

  test('unknown application, unit, command', () => {
    const app = charmSim(stateDir, ['config', 'nope']);
    expect(app).toMatchObject({ code: 1 });
    expect(app.stderr).toBe(
      'ERROR application "nope" not found: known applications: (none deployed)\n',
    );
    expect(charmSim(stateDir, ['resolve', 'nope/0']).stderr).toMatch(
      /^ERROR unit "nope\/0" not found/,
    );
    expect(charmSim(stateDir, ['frobnicate']).stderr).toMatch(
      /^ERROR unknown command "frobnicate"/,
    );
  });

  test('a charm file that does not unpack', () => {
    const bogus = join(dirname(stateDir), 'bogus.charm');
    writeFileSync(bogus, 'not a zip');
    const result = charmSim(stateDir, ['deploy', bogus]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `ERROR cannot unpack ${bogus}: not a zip file (no end of central directory); rebuild it with charm-pack\n`,
    );
    expect(charmSim(stateDir, ['deploy', '/nonexistent.charm']).stderr).toMatch(
      /^ERROR cannot read charm \/nonexistent.charm: ENOENT/,
    );
  });

  test('a corrupt state directory: the error names destroy --force, which cleans it', () => {
    const broken = join(tempDir('sim-corrupt-'), 'state');
    mkdirSync(broken);
    writeFileSync(
      join(broken, 'state.json'),
      '{"units": {"a/0": {"netns": "csim000000-9", "pid": 0',
    );
    const status = charmSim(broken, ['status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(
      /^ERROR .*state.json is not valid JSON .*: run charm-sim destroy --force\n$/,
    );
    expect(charmSim(broken, ['destroy', '--force']).code).toBe(0);
    expect(existsSync(broken)).toBe(false);
  });

  test('bubblewrap or pebble missing names the install command', () => {
    const bogus = join(dirname(stateDir), 'bogus.charm');
    const result = charmSim(stateDir, ['deploy', bogus], { PATH: '/nonexistent' });
    expect(result.stderr).toBe(
      'ERROR bwrap not found on PATH: install it with: apt-get install -y bubblewrap\n',
    );
    const noPebble = charmSim(stateDir, ['deploy', bogus], {
      PATH: '/usr/bin:/bin',
      HOME: '/nonexistent',
      GOBIN: '',
      PEBBLE_BIN: '',
    });
    expect(noPebble.stderr).toBe(
      'ERROR pebble not found on PATH: install it with: go install github.com/canonical/pebble/cmd/pebble@v1.32.1 (or set PEBBLE_BIN)\n',
    );
  });
});

describe.skipIf(missing)('hook timeout', () => {
  test('a hook that hangs is killed and puts the unit in error with the fix', async () => {
    const stateDir = join(tempDir('sim-timeout-'), 'state');
    const sim = Simulator.open({ stateDir, hookTimeoutMs: 3000 });
    try {
      await sim.deploy(packProbe(), { app: 'slow', config: ['sleep-hook=install'] });
      const [problem] = sim.takeProblems();
      expect(problem?.message).toBe(
        'hook "install" timed out after 3s: fix the hook or raise --hook-timeout, then charm-sim resolve slow/0',
      );
      expect(sim.state.units['slow/0']?.workloadStatus).toMatchObject({
        status: 'error',
        message: 'hook failed: "install"',
      });
      expect(sim.state.units['slow/0']?.queue[0]?.hook).toBe('cluster-relation-created');
    } finally {
      await sim.destroy();
    }
  });

  // A test that times out leaves its command running while afterAll destroys the model: the
  // hook is killed, the command ends with MODEL_DESTROYED, nothing is logged into the removed
  // directory (an uncaught ENOENT once) and no further hook starts.
  test('destroy while a hook hangs kills it, waits for the command and leaves nothing', async () => {
    const stateDir = join(tempDir('sim-destroy-'), 'state');
    const sim = Simulator.open({ stateDir, hookTimeoutMs: 120_000 });
    const deploying = sim.deploy(packProbe(), { app: 'slow', config: ['sleep-hook=install'] });
    const outcome = deploying.then(
      () => 'deploy finished',
      (error: unknown) => error,
    );
    await waitUntil(
      'the install hook of slow/0 to start',
      () => sim.state.units['slow/0']?.hookPid,
      {
        timeoutMs: 60_000,
      },
    );
    await sim.destroy();
    expect(existsSync(stateDir)).toBe(false);
    expect(await outcome).toMatchObject({ name: 'SimError', code: 'MODEL_DESTROYED' });
    expect(existsSync(stateDir)).toBe(false);
  });
});
