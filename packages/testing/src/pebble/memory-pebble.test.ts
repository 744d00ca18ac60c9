/**
 * MemoryPebble's test-author hooks and the behaviour the contract suite cannot reach
 * (a closed socket, handlers, process models, permission bits for a non-root daemon).
 */
import { APIError, ChangeError, ConnectionError, ExecError, PathError } from '@charm-ts/pebble';
import { waitUntil } from '@charm-ts/pebble/testing';
import { describe, expect, it } from 'vitest';
import { MemoryPebble } from './memory-pebble.ts';

const layer = {
  services: {
    web: { override: 'replace' as const, command: 'gunicorn app', startup: 'enabled' as const },
  },
  checks: {
    ready: { override: 'replace' as const, http: { url: 'http://localhost/' }, threshold: 2 },
  },
};

describe('MemoryPebble hooks', () => {
  it('throws ConnectionError on every call while it cannot connect', async () => {
    const pebble = new MemoryPebble({ canConnect: false });
    expect(await pebble.canConnect()).toBe(false);
    await expect(pebble.getPlan()).rejects.toBeInstanceOf(ConnectionError);
    pebble.setCanConnect(true);
    expect((await pebble.getPlan()).services).toEqual({});
  });

  it('runs exec handlers by longest prefix and records the calls', async () => {
    const pebble = new MemoryPebble({ execs: { git: { exitCode: 9 } } });
    pebble.handleExec(['git', 'pull'], (ctx) => ({ stdout: `pulled in ${ctx.workingDir}\n` }));
    await pebble.makeDir('/srv');
    const out = await (
      await pebble.exec(['git', 'pull', 'origin'], { workingDir: '/srv' })
    ).waitOutput();
    expect(out.stdout).toBe('pulled in /srv\n');
    const failed = await (await pebble.exec(['git', 'status'])).waitOutput().catch((e) => e);
    expect(failed).toBeInstanceOf(ExecError);
    expect((failed as ExecError).exitCode).toBe(9);
    expect(pebble.execHistory.map((r) => [r.command, r.exitCode])).toEqual([
      [['git', 'pull', 'origin'], 0],
      [['git', 'status'], 9],
    ]);
    await expect(pebble.exec(['gti'])).rejects.toThrow('cannot find executable "gti"');
  });

  it('models service processes with a ProcessModel', async () => {
    const pebble = new MemoryPebble({
      processes: (command) =>
        command.startsWith('gunicorn') ? { output: ['booted'], exitCode: 4 } : undefined,
    });
    await pebble.addLayer('web', layer);
    const error = await pebble.replanServices().catch((e) => e);
    expect(error).toBeInstanceOf(ChangeError);
    expect((error as ChangeError).err).toContain('exited quickly with code 4, will restart');
    expect((error as ChangeError).change.tasks[0]?.log[0]).toContain(
      'Most recent service output:\n    booted',
    );
    expect((await pebble.listServices())[0]?.current).toBe('backoff');
    pebble.close();
  });

  it('kills a service: on-failure restart backs off, then restarts it', async () => {
    const pebble = new MemoryPebble();
    await pebble.addLayer('web', {
      services: { web: { ...layer.services.web, 'backoff-delay': '10ms' } },
    });
    await pebble.replanServices();
    pebble.killService('web');
    expect((await pebble.listServices())[0]?.current).toBe('backoff');
    await waitUntil('web to be restarted after its 10 ms backoff', async () => {
      return (await pebble.listServices())[0]?.current === 'active';
    });
    expect(() => pebble.killService('nope')).toThrow('not running');
    pebble.close();
  });

  it('fails a check down to its threshold and restarts services that ask for it', async () => {
    const pebble = new MemoryPebble();
    await pebble.addLayer('web', {
      ...layer,
      services: { web: { ...layer.services.web, 'on-check-failure': { ready: 'restart' } } },
    });
    await pebble.replanServices();
    expect(await pebble.getHealth()).toBe(true);
    pebble.failCheck('ready', 'connection refused');
    const [check] = await pebble.listChecks();
    expect(check).toMatchObject({ status: 'down', failures: 2 });
    expect(await pebble.getHealth()).toBe(false);
    expect((await pebble.listServices())[0]?.current).toBe('backoff');
    const failed = await pebble.getChange(check?.prevChangeId ?? '');
    expect(failed.err).toBe(
      // One line per failed run, as Pebble logs each failure as an error of the task.
      'cannot perform the following tasks:\n- Perform HTTP check "ready" (connection refused)\n- Perform HTTP check "ready" (connection refused)',
    );
    pebble.setCheckResult('ready', undefined);
    expect(pebble.runCheck('ready')).toBeUndefined();
    expect((await pebble.listChecks())[0]).toMatchObject({ status: 'up', successes: 1 });
    pebble.close();
  });

  it('enforces permission bits for a non-root daemon', async () => {
    const pebble = new MemoryPebble({
      uid: 1000,
      users: [{ name: 'app', id: 1000, groupId: 1000 }],
    });
    await pebble.makeDir('/locked', { permissions: 0o500 });
    const error = await pebble.push('/locked/f', 'x').catch((e) => e);
    expect(error).toBeInstanceOf(PathError);
    expect(error).toMatchObject({ kind: 'permission-denied' });
    await pebble.push('/secret', 'x', { permissions: 0o000 });
    await expect(pebble.pull('/secret')).rejects.toMatchObject({ kind: 'permission-denied' });
    await expect(pebble.push('/f', 'x', { user: 'nobody' })).rejects.toThrow(
      'cannot look up user and group: user: unknown user nobody',
    );
    const [info] = await pebble.listFiles('/secret');
    expect(info).toMatchObject({ userId: 1000, user: 'app', permissions: 0 });
  });

  it('starts with initial layers and checks, and refuses an abort of a finished change', async () => {
    const pebble = new MemoryPebble({ layers: { base: layer } });
    expect(Object.keys((await pebble.getPlan()).services)).toEqual(['web']);
    expect((await pebble.listChecks())[0]?.status).toBe('up');
    const id = await pebble.autostartServices();
    const error = await pebble.abortChange(id).catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toBe(`cannot abort change ${id} with nothing pending`);
  });
});
