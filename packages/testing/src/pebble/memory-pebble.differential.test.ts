/**
 * Differential test: one scenario of layers, services, checks, changes, notices, exec
 * refusals and identities runs against the real daemon and against MemoryPebble, and every
 * step's result (or error class, status, kind and text) must be equal. Steps whose outcome
 * depends on wall-clock time (backoff restarts) are normalised.
 *
 * The daemon's periodic work is kept out of the steps: every check's period and every
 * backoff is an hour, so nothing runs between two steps unless a step asks for it. Where the
 * daemon finishes a step's work after answering (a check reaching its threshold switches to
 * its recover change in the background), the next step waits for that state first.
 */
import { type Change, ChangeError, type Pebble } from '@charm-ts/pebble';
import { realPebbleSkipReason, startRealPebble, waitUntil } from '@charm-ts/pebble/testing';
import { expect, it } from 'vitest';
import { MemoryPebble } from './memory-pebble.ts';

/** Drops timestamps, random temp-file suffixes and the repeats of a backoff restart loop. */
function untimed(text: string): string {
  return (
    text
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z /g, '')
      .replace(/^( +\S.*)(\n\1)+$/gm, '$1')
      // An atomic write's temporary file has a random suffix.
      .replace(/\.\d+~/g, '.N~')
  );
}

async function scenario(p: Pebble): Promise<unknown[]> {
  const out: unknown[] = [];
  const rec = async (label: string, fn: () => Promise<unknown>) => {
    try {
      const v = await fn();
      out.push([label, v]);
    } catch (e) {
      const err = e as Error & { status?: number; kind?: string; code?: string };
      if (e instanceof ChangeError) out.push([label, 'CHANGE', strip(e.change)]);
      out.push([label, 'ERR', err.constructor.name, err.status, err.kind, untimed(err.message)]);
    }
  };
  const strip = (c: Change) => ({
    id: c.id,
    kind: c.kind,
    summary: c.summary,
    status: c.status,
    ready: c.ready,
    err: c.err,
    tasks: c.tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      summary: t.summary,
      status: t.status,
      log: t.log.map(untimed),
      data: t.data,
    })),
  });
  const svcs = async () => (await p.listServices()).map((s) => [s.name, s.startup, s.current]);
  await rec('add', () =>
    p.addLayer('base', {
      services: {
        a: { override: 'replace', command: 'sleep 1000', startup: 'enabled' },
        // An hour of backoff: no restart races the steps that follow.
        b: {
          override: 'replace',
          command: '/bin/sh -c "echo hi; exit 3"',
          'backoff-delay': '1h',
          'backoff-limit': '1h',
        },
        c: {
          override: 'replace',
          command: '/bin/sh -c "echo X; sleep 1000"',
          startup: 'enabled',
          after: ['a'],
        },
        d: { override: 'replace', command: 'sleep 1000', requires: ['a'] },
      },
    }),
  );
  await rec('add-again', () => p.addLayer('base', { services: {} }));
  await rec('plan', () => p.getPlan());
  await rec('svcs0', svcs);
  await rec('start-b', () => p.startServices(['b']));
  await rec('svcs1', svcs);
  await rec('replan', () => p.replanServices());
  await rec('svcs2', svcs);
  // Pebble lists changes in Go map order: sort them.
  await rec('changes', async () =>
    (await p.listChanges({ select: 'all' })).map(strip).sort((x, y) => Number(x.id) - Number(y.id)),
  );
  await rec('replan-again', () => p.replanServices());
  await rec('change', async () => strip(await p.getChange('3')));
  await rec('merge', () =>
    p.addLayer('over', { services: { a: { override: 'merge', environment: { X: '1' } } } }),
  );
  await rec('replan3', async () => strip(await p.getChange(await p.replanServices())));
  await rec('start-d', async () => strip(await p.getChange(await p.startServices(['d']))));
  await rec('stop-a', async () => strip(await p.getChange(await p.stopServices(['a']))));
  await rec('svcs3', svcs);
  await rec('restart', async () => strip(await p.getChange(await p.restartServices(['c', 'a']))));
  await rec('stop-none', async () => strip(await p.getChange(await p.stopServices(['b']))));
  await rec('start-x', () => p.startServices(['x']));
  await rec('start-empty', () => p.startServices([]));
  await rec('autostart', async () => strip(await p.getChange(await p.autostartServices())));
  await rec('signal', () => p.sendSignal('SIGHUP', ['b']));
  await rec('signal-bad', () => p.sendSignal('SIGFOO', ['a']));
  await rec('logs', async () => {
    const l: string[] = [];
    for await (const e of p.logs({ n: -1 })) l.push(`${e.service}:${e.message}`);
    return [...new Set(l)];
  });
  await rec('getchange-99', () => p.getChange('99'));
  await rec('abort-1', () => p.abortChange('1'));
  await rec('notices', async () =>
    (await p.listNotices()).map((n) => [n.id, n.type, n.key, n.lastData]),
  );
  await rec('notify', () => p.notify('example.com/foo', { data: { a: 'b' } }));
  await rec('notices-custom', async () =>
    (await p.listNotices({ types: ['custom'] })).map((n) => [
      n.id,
      n.type,
      n.key,
      n.occurrences,
      n.userId,
      n.lastData,
    ]),
  );
  await rec('chk-layer', () =>
    p.addLayer('chk', {
      checks: {
        // Periods of an hour: no periodic run fires between the steps that follow.
        up: { override: 'replace', exec: { command: 'true' }, threshold: 2, period: '1h' },
        dis: { override: 'replace', startup: 'disabled', tcp: { port: 1 }, period: '1h' },
      },
    }),
  );
  await rec('checks', () => p.listChecks());
  await rec('stopchk', () => p.stopChecks(['up', 'dis']));
  await rec('checks2', () => p.listChecks());
  await rec('startchk', () => p.startChecks(['up', 'dis']));
  await rec('checks3', () => p.listChecks());
  await rec('startchk-x', () => p.startChecks(['nope']));
  await rec('health', () => p.getHealth());
  await rec('identities', async () => {
    await p.addIdentities({ bob: { access: 'read', local: { userId: 42 } } });
    return p.listIdentities();
  });
  await rec('identities-dup', () =>
    p.addIdentities({ bob: { access: 'read', local: { userId: 42 } } }),
  );
  await rec('identities-rm', () => p.removeIdentities(['nobody']));
  await rec('logs-c', async () => {
    const l: string[] = [];
    for await (const e of p.logs({ services: ['c'], n: 1 })) l.push(`${e.service}:${e.message}`);
    return l;
  });
  await rec('failchk', () =>
    p.addLayer('fail', {
      checks: {
        bad: {
          override: 'replace',
          exec: { command: '/bin/sh -c "exit 2"' },
          threshold: 2,
          period: '1h',
        },
      },
    }),
  );
  await rec('refresh1', () => p.refreshCheck('bad'));
  // The second failure reaches the threshold. Pebble answers the refresh as soon as the check
  // ran, and switches the check to its recover change in the background: the answer may show
  // the check before or after that switch, so only its error is compared. The next step waits
  // for the switch, then compares the whole check.
  await rec('refresh2', async () => (await p.refreshCheck('bad')).error);
  await rec('checks4', async () => {
    await waitUntil('the bad check to go down after its second failure', async () => {
      const [bad] = await p.listChecks({ names: ['bad'] });
      return bad?.status === 'down';
    });
    return p.listChecks({ names: ['bad'] });
  });
  await rec('health2', () => p.getHealth());
  await rec('refresh-x', () => p.refreshCheck('nope'));
  await rec('chg-in-progress', async () =>
    (await p.listChanges()).map(strip).sort((x, y) => Number(x.id) - Number(y.id)),
  );
  await rec('chg-svc', async () =>
    (await p.listChanges({ select: 'all', service: 'a' })).map((c) => c.id).sort(),
  );
  await rec('modify-check', () =>
    p.addLayer('fail', { checks: { bad: { override: 'merge', threshold: 5 } } }, { combine: true }),
  );
  await rec('checks5', () => p.listChecks());
  await rec('plan2', () => p.getPlan());
  await rec('disabled-change', () =>
    p.addLayer('dis', { services: { b: { override: 'merge', environment: { Y: '2' } } } }),
  );
  await rec('replan4', async () => strip(await p.getChange(await p.replanServices())));
  await rec('svcs4', svcs);
  await rec('exec-missing', () => p.exec(['no-such-thing']));
  await rec('exec-empty', () => p.exec([]));
  await rec('exec-ok', async () => {
    const x = await p.exec(['echo', 'hi']);
    const o = await x.waitOutput();
    return [
      o,
      (await p.listChanges({ select: 'all' }))
        .filter((c) => c.kind === 'exec')
        .map(strip)
        .sort((x, y) => Number(x.id) - Number(y.id)),
    ];
  });
  await rec('exec-fail', async () => (await p.exec(['/bin/sh', '-c', 'exit 4'])).waitOutput());
  await rec('exec-wd', () => p.exec(['pwd'], { workingDir: '/nonexistent-dir' }));
  await rec('exec-ctx', () => p.exec(['pwd'], { serviceContext: 'zzz' }));
  await rec('notify-rep', async () => {
    await p.notify('example.com/rep', { repeatAfter: '1h' });
    await p.notify('example.com/rep', { repeatAfter: '1h', data: { k: 'v' } });
    return (await p.listNotices({ keys: ['example.com/rep'] })).map((n) => [
      n.occurrences,
      n.repeatAfter,
      n.lastData,
      n.firstOccurred.getTime() === n.lastRepeated.getTime(),
    ]);
  });
  await rec('notify-bad', () => p.notify('bad key'));
  await rec('notice-after', async () => {
    const [n] = await p.listNotices({ keys: ['example.com/foo'] });
    return (await p.listNotices({ types: ['custom'], after: n?.lastRepeatedRaw })).map(
      (x) => x.key,
    );
  });
  await rec('notice-get', async () => {
    const id = await p.notify('example.com/one');
    const n = await p.getNotice(id);
    return [n.key, n.type, n.userId, n.occurrences];
  });
  await rec('notice-get-x', () => p.getNotice('999'));
  await rec(
    'notice-poll',
    async () => (await p.listNotices({ keys: ['example.com/never'], timeoutMs: 100 })).length,
  );
  await rec('waitchange', async () => strip(await p.waitChange('1')));
  await rec('bad-layer', () => p.addLayer('bad', { services: { s: { override: 'merge' } } }));
  await rec('bad-layer2', () => p.addLayer('bad2', 'services:\n  s:\n    command: x\n'));
  await rec('cycle', () =>
    p.addLayer('cyc', {
      services: {
        p1: { override: 'replace', command: 'sleep 1', after: ['p2'] },
        p2: { override: 'replace', command: 'sleep 1', after: ['p1'] },
      },
    }),
  );
  await rec('requires-missing', () =>
    p.addLayer('req', {
      services: { r1: { override: 'replace', command: 'sleep 1000', requires: ['nope'] } },
    }),
  );
  const dir = `/tmp/charm-ts-diff-${process.pid}`;
  await rec('mkdir', () => p.makeDir(`${dir}/sub`, { makeParents: true }));
  await rec('mkdir-exists', () => p.makeDir(`${dir}/sub`));
  await rec('mkdir-no-parent', () => p.makeDir(`${dir}/a/b`));
  await rec('push-no-parent', () => p.push(`${dir}/x/y/f`, 'data'));
  await rec('push-unknown-user', () => p.push(`${dir}/f`, 'data', { user: 'charm-ts-nobody' }));
  await rec('push-group-only', () => p.push(`${dir}/f`, 'data', { group: 'root' }));
  await rec('push', () => p.push(`${dir}/sub/f`, 'data', { permissions: 0o600 }));
  await rec('push-over-dir', () => p.push(`${dir}/sub`, 'data'));
  await rec('push-under-file', () => p.push(`${dir}/sub/f/g`, 'data', { makeDirs: true }));
  await rec('list', async () =>
    (await p.listFiles(dir, { pattern: 's*' })).map((f) => [f.path, f.name, f.type, f.permissions]),
  );
  await rec('list-file', async () =>
    (await p.listFiles(`${dir}/sub/f`)).map((f) => [f.name, f.size, f.permissions]),
  );
  await rec('list-missing', () => p.listFiles(`${dir}/missing`));
  await rec('list-relative', () => p.listFiles('relative/path'));
  await rec('pull-dir', () => p.pull(`${dir}/sub`));
  await rec('pull-missing', () => p.pull(`${dir}/missing`));
  await rec('remove-non-empty', () => p.removePath(`${dir}/sub`));
  await rec('remove-missing', () => p.removePath(`${dir}/missing`));
  await rec('remove-through-file', () => p.removePath(`${dir}/sub/f/x`));
  await rec('remove-recursive', () => p.removePath(dir, { recursive: true }));
  await rec('cycle-start', () => p.startServices(['p1']));
  await rec('plan3', () => p.getPlan());
  return out;
}

// Throws under CI when pebble is missing; elsewhere the test skips, saying how to install it.
const skipReason = realPebbleSkipReason();

it.skipIf(skipReason !== undefined)(
  `agrees with the real Pebble daemon step by step${skipReason ? ` (${skipReason})` : ''}`,
  async () => {
    const real = await startRealPebble();
    const memory = new MemoryPebble();
    try {
      const expected = await scenario(real.client);
      const actual = await scenario(memory);
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        expect.soft(actual[i], String((expected[i] as unknown[])[0])).toEqual(expected[i]);
      }
    } finally {
      memory.close();
      await real.close();
    }
  },
);
