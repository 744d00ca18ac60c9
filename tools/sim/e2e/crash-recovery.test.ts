// kill -9 of `charm-sim deploy` at each of its steps (issue 11, item 3): a later command
// recovers the unit to active, and `destroy --force` leaves no process, network namespace,
// veth, bridge or mount. The CLI is stopped at a step by CHARM_SIM_PAUSE_AT (it says
// "paused at <step>" and blocks), never after some delay.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { missingRequirement, packProbe } from '../test/probe.ts';
import { tempDir } from '../test/temp.ts';
import { leftovers, netnsInode } from './host-checks.ts';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`charm-sim e2e cannot run: ${missing}`);

function charmSim(stateDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, '--state-dir', stateDir, ...args], {
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `deploy` paused at `step`; resolves once it says so, then kills it with SIGKILL. */
async function deployKilledAt(stateDir: string, charm: string, step: string): Promise<string> {
  const child = spawn(process.execPath, [cli, '--state-dir', stateDir, 'deploy', charm, 'web'], {
    env: { ...process.env, CHARM_SIM_PAUSE_AT: step },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`deploy never reached "${step}" in 120 s; it said:\n${stderr}`)),
      120_000,
    );
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(`paused at ${step}\n`)) {
        clearTimeout(deadline);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`deploy exited (${code}) before "${step}":\n${stderr}`));
    });
  });
  child.kill('SIGKILL');
  await exited;
  return stderr;
}

function state(stateDir: string) {
  return JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
}

describe.skipIf(missing)('charm-sim deploy killed with SIGKILL', () => {
  const charm = missing ? '' : packProbe();

  test.each(['unpacked', 'app-saved', 'pod-starting', 'hook-started'])(
    'at %s: the next command recovers the unit; destroy --force leaves nothing',
    async (step) => {
      const stateDir = join(tempDir(`sim-kill-${step}-`), 'state');
      await deployKilledAt(stateDir, charm, step);

      if (step === 'unpacked') {
        // Nothing was saved: the deploy did not happen, and deploying again works.
        expect(charmSim(stateDir, 'status', '--format', 'json').stdout).toContain('"units": []');
        const again = charmSim(stateDir, 'deploy', charm, 'web');
        expect(again.stderr).toContain('running install on web/0');
        expect(again.code).toBe(0);
      } else {
        const killed = state(stateDir);
        const unit = killed.units['web/0'];
        // The unit and its setup hooks were saved before its pod was made.
        expect(unit.queue.length + (unit.running ? 1 : 0)).toBeGreaterThan(0);
        if (step === 'pod-starting') expect(unit.containers.workload.pid).toBeGreaterThan(1);
        if (step === 'hook-started') {
          expect(unit.running.hook).toBe('install');
          expect(unit.hookPid).toBeGreaterThan(1);
        }
        // status is read-only: it shows the queue and runs nothing.
        const before = readFileSync(join(stateDir, 'state.json'), 'utf8');
        const status = charmSim(stateDir, 'status');
        expect(status.code).toBe(0);
        expect(status.stdout).toMatch(/Hooks queued: web\/0 \(\d+, next install\)/);
        expect(readFileSync(join(stateDir, 'state.json'), 'utf8')).toBe(before);
        // resolve on the stuck unit says what it does, and does it.
        const resolved = charmSim(stateDir, 'resolve', 'web/0');
        expect(resolved.stderr).toContain('web/0 is not in error:');
        expect(resolved.stderr).toContain('running install on web/0');
        expect(resolved.code).toBe(0);
      }
      const view = JSON.parse(charmSim(stateDir, 'status', '--format', 'json').stdout);
      expect(view.units).toMatchObject([
        { name: 'web/0', workload: 'active', agent: 'idle', queued: 0 },
      ]);

      const { bridge, units } = state(stateDir);
      const inodes = Object.values(units as Record<string, { netns: string }>)
        .map((u) => netnsInode(u.netns))
        .filter((ino): ino is number => ino !== undefined);
      expect(inodes.length).toBe(1);
      expect(charmSim(stateDir, 'destroy', '--force').code).toBe(0);
      expect(leftovers(stateDir, bridge, inodes)).toEqual([]);
    },
  );
});
