/**
 * The services contract: start, stop, restart, autostart, replan, signals, and what a failed
 * or crashed service does.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { APIError, ChangeError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { waitUntil } from '../testing/wait.ts';
import type { ServiceInfo } from '../types.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

async function serviceInfo(pebble: Pebble, name: string): Promise<ServiceInfo> {
  const [info] = await pebble.listServices({ names: [name] });
  if (!info) throw new Error(`service ${name} is not listed`);
  return info;
}

/** Registers the services contract tests against the target `makeTarget` builds. */
export function describeServicesContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('services contract', () => {
    let target: ContractTarget;
    let pebble: Pebble;

    useTarget(makeTarget, async (built) => {
      target = built;
      pebble = built.pebble;
      await pebble.addLayer('svc', {
        services: {
          plain: { override: 'replace', command: 'sleep 1000' },
          fails: { override: 'replace', command: '/bin/sh -c "exit 3"' },
          talker: { override: 'replace', command: '/bin/sh -c "echo svc-talker; sleep 1000"' },
        },
      });
    });

    it('refuses autostart when no service is enabled (kind no-default-services)', async () => {
      const error = await rejectionOf(pebble.autostartServices());
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(400);
      expect((error as APIError).kind).toBe('no-default-services');
    });

    it('lists a never-started service as inactive without current-since', async () => {
      const info = await serviceInfo(pebble, 'plain');
      expect(info).toEqual({ name: 'plain', startup: 'disabled', current: 'inactive' });
      const all = await pebble.listServices();
      expect(all.map((s) => s.name)).toEqual(['fails', 'plain', 'talker']);
    });

    it('starts, restarts and stops a service, waiting for each change', async () => {
      const startId = await pebble.startServices(['plain']);
      expect(startId).toMatch(/^[a-z0-9]+$/);
      const started = await serviceInfo(pebble, 'plain');
      expect(started.current).toBe('active');
      expect(started.currentSince).toBeInstanceOf(Date);
      const change = await pebble.getChange(startId);
      expect(change).toMatchObject({ id: startId, kind: 'start', status: 'Done', ready: true });

      await pebble.restartServices(['plain']);
      const restarted = await serviceInfo(pebble, 'plain');
      expect(restarted.current).toBe('active');
      expect(restarted.currentSince?.getTime()).toBeGreaterThan(
        started.currentSince?.getTime() ?? Number.POSITIVE_INFINITY,
      );

      await pebble.stopServices(['plain']);
      expect((await serviceInfo(pebble, 'plain')).current).toBe('inactive');
    });

    it('stops an already-stopped service without error', async () => {
      await pebble.stopServices(['plain']);
      expect((await serviceInfo(pebble, 'plain')).current).toBe('inactive');
    });

    it('returns the change id at once with wait: false', async () => {
      const changeId = await pebble.stopServices(['plain'], { wait: false });
      const change = await pebble.waitChange(changeId);
      expect(change).toMatchObject({ id: changeId, kind: 'stop', ready: true, status: 'Done' });
    });

    it("throws ChangeError with Pebble's message for a service that exits at once", async () => {
      const error = await rejectionOf(pebble.startServices(['fails']));
      expect(error).toBeInstanceOf(ChangeError);
      const changeError = error as ChangeError;
      expect(changeError.err).toContain('Start service "fails"');
      expect(changeError.err).toContain('exited quickly with code 3');
      expect(changeError.change.status).toBe('Error');
      expect(changeError.change.ready).toBe(true);
      expect(changeError.message).toContain('exited quickly with code 3');
      // Pebble keeps retrying a failed start (backoff); stop it so it stays quiet.
      await pebble.stopServices(['fails']);
    });

    it('refuses an unknown service with APIError 400 naming it', async () => {
      const error = await rejectionOf(pebble.startServices(['no-such-service']));
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(400);
      expect((error as APIError).message).toContain('"no-such-service"');
    });

    it('sends a signal to a running service and refuses one that is not running', async () => {
      const error = await rejectionOf(pebble.sendSignal('SIGWINCH', ['plain']));
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).message).toContain('not running');
      await pebble.startServices(['talker']);
      await pebble.sendSignal('SIGWINCH', ['talker']);
      expect((await serviceInfo(pebble, 'talker')).current).toBe('active');
      await pebble.stopServices(['talker']);
    });

    it('replan restarts a changed service and leaves an unchanged one alone', async () => {
      await pebble.addLayer('replan', {
        services: {
          same: { override: 'replace', command: 'sleep 1000', startup: 'enabled' },
          changed: { override: 'replace', command: 'sleep 1000', startup: 'enabled' },
        },
      });
      await pebble.replanServices();
      const same1 = await serviceInfo(pebble, 'same');
      const changed1 = await serviceInfo(pebble, 'changed');
      expect([same1.current, changed1.current]).toEqual(['active', 'active']);

      await pebble.addLayer(
        'replan',
        { services: { changed: { override: 'merge', environment: { VERSION: '2' } } } },
        { combine: true },
      );
      await pebble.replanServices();
      const same2 = await serviceInfo(pebble, 'same');
      const changed2 = await serviceInfo(pebble, 'changed');
      expect(same2.currentSince).toEqual(same1.currentSince);
      expect(changed2.current).toBe('active');
      expect(changed2.currentSince?.getTime()).toBeGreaterThan(
        changed1.currentSince?.getTime() ?? Number.POSITIVE_INFINITY,
      );
    });

    it('autostart starts the enabled services', async () => {
      await pebble.stopServices(['same', 'changed']);
      await pebble.autostartServices();
      expect((await serviceInfo(pebble, 'same')).current).toBe('active');
      expect((await serviceInfo(pebble, 'changed')).current).toBe('active');
      await pebble.stopServices(['same', 'changed']);
    });

    it('brings a killed service back with on-failure: restart', async (context) => {
      if (!target.killService) {
        context.skip('this target cannot kill a service process (no killService)');
        return;
      }
      await pebble.addLayer('crash', {
        services: {
          crashy: {
            override: 'replace',
            command: '/bin/sh -c "echo svc-crashy; sleep 1000"',
            'on-failure': 'restart',
            'backoff-delay': '50ms',
          },
        },
      });
      await pebble.startServices(['crashy']);
      const before = await serviceInfo(pebble, 'crashy');
      await target.killService('crashy');
      const after = await waitUntil('crashy to be restarted', async () => {
        const info = await serviceInfo(pebble, 'crashy');
        const restarted =
          info.current === 'active' &&
          (info.currentSince?.getTime() ?? 0) > (before.currentSince?.getTime() ?? 0);
        return restarted ? info : undefined;
      });
      expect(after.current).toBe('active');
      await pebble.stopServices(['crashy']);
    });
  });
}
