/**
 * The Pebble layers of the two workloads: redis on localhost only, with an exec check, and
 * SnapPass, configured through its environment, with an HTTP check.
 * @module
 */
import type { Layer } from '@charm-ts/ops';
import type { Settings } from './settings.ts';

/** Where SnapPass listens (its Flask server's fixed port, on every address). */
export const SNAPPASS_PORT = 5000;
/** Where redis listens, on 127.0.0.1 only: the containers of a pod share its network. */
export const REDIS_PORT = 6379;
/** The command that tells whether redis answers (`PONG`). */
export const REDIS_PING = ['redis-cli', '-h', '127.0.0.1', '-p', String(REDIS_PORT), 'ping'];

/** The redis layer: one service, one readiness check. */
export function redisLayer(): Layer {
  return {
    summary: 'redis layer',
    description: 'redis layer',
    services: {
      redis: {
        override: 'replace',
        summary: 'redis service',
        // Loopback only: protected mode stays on and nothing outside the pod can reach it.
        command: `redis-server --bind 127.0.0.1 --port ${REDIS_PORT} --protected-mode yes`,
        startup: 'enabled',
      },
    },
    checks: {
      'redis-ready': {
        override: 'replace',
        level: 'ready',
        period: '3s',
        timeout: '2s',
        threshold: 2,
        exec: { command: REDIS_PING.join(' ') },
      },
    },
  };
}

/**
 * The snappass layer. `secretKey` goes into the service's environment, the only place
 * snappass 1.6.2 reads it from (never a command line).
 */
export function snappassLayer(settings: Settings, secretKey: string): Layer {
  const environment: Record<string, string> = {
    SECRET_KEY: secretKey,
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(REDIS_PORT),
    NO_SSL: settings.noSsl ? 'True' : 'False',
  };
  if (settings.urlPrefix) environment.URL_PREFIX = settings.urlPrefix;
  if (settings.hostOverride) environment.HOST_OVERRIDE = settings.hostOverride;
  return {
    summary: 'snappass layer',
    description: 'snappass layer',
    services: {
      snappass: {
        override: 'replace',
        summary: 'snappass service',
        command: 'snappass',
        startup: 'enabled',
        environment,
      },
    },
    checks: {
      'snappass-ready': {
        override: 'replace',
        level: 'ready',
        http: { url: `http://127.0.0.1:${SNAPPASS_PORT}/` },
      },
    },
  };
}
