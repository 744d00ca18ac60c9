// The bundled charm-sim executable: each command is a new process, the model and its pods
// persist in the state directory between them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@charm-ts/pebble/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { missingRequirement, packProbe } from '../test/probe.ts';
import { tempDir } from '../test/temp.ts';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`charm-sim e2e cannot run: ${missing}`);

describe.skipIf(missing)('charm-sim across invocations', () => {
  const root = tempDir('sim-cli-e2e-');
  const stateDir = join(root, 'state');
  const charmSim = (...args: string[]) => {
    const result = spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CHARM_SIM_HOME: stateDir },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  afterAll(() => {
    if (existsSync(stateDir)) charmSim('destroy');
    rmSync(root, { recursive: true, force: true });
  });

  test('deploy, status, config, run, debug-log, destroy', async () => {
    const deploy = charmSim('deploy', packProbe(), 'web', '--config', 'greeting=hey');
    expect(deploy.stderr).toContain('running install on web/0');
    expect(deploy.code).toBe(0);

    const status = JSON.parse(charmSim('status', '--format', 'json').stdout);
    expect(status.units).toMatchObject([
      { name: 'web/0', leader: true, workload: 'active', agent: 'idle', message: 'hey on 8080' },
    ]);
    expect(charmSim('status').stdout).toMatch(
      /\nweb\/0\*\s+active\s+idle\s+10\.\S+\s+hey on 8080\n/,
    );

    expect(charmSim('config', 'web', 'port=9090').code).toBe(0);
    expect(charmSim('config', 'web', 'port').stdout).toBe('9090\n');
    const wrong = charmSim('config', 'web', 'port=ninety');
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.stderr).toBe(
      'ERROR option "port" expected int, got "ninety": pass a whole number, e.g. 8080\n',
    );

    // A container that died between commands is restarted, and its new Pebble is ready again.
    const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
    process.kill(-state.units['web/0'].containers.workload.pid, 'SIGKILL');
    const revived = charmSim('update-status');
    expect(revived.stderr).toContain('restarted container workload of web/0');
    expect(revived.stderr).toContain('running workload-pebble-ready on web/0');

    // A charm-sim killed in the middle of a hook runs that hook again next time.
    expect(charmSim('config', 'web', 'sleep-hook=update_status').code).toBe(0);
    const child = spawn(process.execPath, [cli, 'update-status'], {
      env: { ...process.env, CHARM_SIM_HOME: stateDir },
      stdio: 'ignore',
    });
    const running = () =>
      JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')).units['web/0'].running?.hook;
    await waitUntil(
      'charm-sim update-status to start the update-status hook of web/0',
      () => (running() === 'update-status' ? true : undefined),
      { lastSeen: () => `running hook: ${running() ?? 'none'}` },
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const rerun = charmSim('config', 'web', 'sleep-hook=');
    expect(rerun.stderr).toContain('web/0 was interrupted in update-status: running it again');
    expect(rerun.stderr).toContain('running update-status on web/0');
    expect(rerun.code).toBe(0);

    const run = charmSim('run', 'web/0', 'info', 'extra=42');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^address: 10\.\S+\n/);
    expect(run.stdout).toContain('extra: "42"\n');
    expect(run.stdout).toContain('port: "9090"\n');
    expect(run.stderr).toContain('collecting info');
    const failed = charmSim('run', 'web/0', 'fail', 'reason=x');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'ERROR the task failed with status "failed" with message: failed because x\n',
    );
    expect(charmSim('run', 'web/0', 'nope').stderr).toBe(
      'ERROR action "nope" not defined on unit "web/0": known actions: fail, fetch, info, notify, rotate-secret, start-service, stop-service\n',
    );

    const log = charmSim('debug-log', '--include', 'web/0', '--lines', '500').stdout;
    expect(log).toContain('unit-web-0: ');
    expect(log).toContain('ran "config-changed" hook');

    expect(charmSim('destroy').code).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
  });
});
