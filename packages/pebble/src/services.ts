/**
 * Services: list, the service actions (start, stop, restart, autostart, replan) and signals.
 * Each action creates a change; by default the call waits for it and throws `ChangeError` when
 * it failed, so a resolved promise means the services really are in the asked-for state.
 * @module
 */
import { waitChange } from './changes.ts';
import { ChangeError, ProtocolError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import { parseTime } from './internal/time.ts';
import type {
  ListServicesOptions,
  RequestOptions,
  ServiceChangeOptions,
  ServiceInfo,
  Startup,
} from './types.ts';

interface ServiceWire {
  name?: string;
  startup?: string;
  current?: string;
  'current-since'?: string;
}

/** Converts one entry of `GET /v1/services`; `current-since` is absent on older daemons. */
export function toServiceInfo(wire: ServiceWire): ServiceInfo {
  if (typeof wire.name !== 'string') {
    throw new ProtocolError('cannot read services: an entry has no name');
  }
  const info: ServiceInfo = {
    name: wire.name,
    startup: (wire.startup ?? 'disabled') as Startup,
    current: wire.current ?? 'inactive',
  };
  const since = parseTime(wire['current-since']);
  if (since) info.currentSince = since;
  return info;
}

/**
 * `GET /v1/services`: all services, or only `names` (unknown names are ignored), by name.
 * @throws APIError, ConnectionError.
 */
export async function listServices(
  rq: Requester,
  options: ListServicesOptions = {},
): Promise<ServiceInfo[]> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/services',
    query: { names: options.names?.length ? options.names : undefined },
    signal: options.signal,
  });
  return Array.isArray(result) ? result.map(toServiceInfo) : [];
}

type Action = 'start' | 'stop' | 'restart' | 'autostart' | 'replan';

async function serviceAction(
  rq: Requester,
  action: Action,
  services: readonly string[],
  options: ServiceChangeOptions,
): Promise<string> {
  const { changeId } = await rq.async({
    method: 'POST',
    path: '/v1/services',
    body: { action, services },
    signal: options.signal,
  });
  if (options.wait === false) return changeId;
  const waitOptions = { timeoutMs: options.timeoutMs ?? 30_000, signal: options.signal };
  const change = await waitChange(rq, changeId, waitOptions);
  if (change.err || change.status === 'Error') throw new ChangeError(change);
  return changeId;
}

/**
 * Starts services (and what they `require`), waiting for the change unless `wait: false`.
 * Returns the change id.
 * @throws ChangeError when the change failed (e.g. `exited quickly with code 3`), with the
 *   task logs; TimeoutError past `timeoutMs` (30 s); APIError (400 for an unknown service);
 *   ConnectionError.
 */
export function startServices(
  rq: Requester,
  names: readonly string[],
  options: ServiceChangeOptions = {},
): Promise<string> {
  return serviceAction(rq, 'start', names, options);
}

/**
 * Stops services, waiting for the change unless `wait: false`. Returns the change id.
 * @throws ChangeError, TimeoutError, APIError, ConnectionError (as {@link startServices}).
 */
export function stopServices(
  rq: Requester,
  names: readonly string[],
  options: ServiceChangeOptions = {},
): Promise<string> {
  return serviceAction(rq, 'stop', names, options);
}

/**
 * Restarts services (stops them if running, then starts them). Returns the change id.
 * @throws ChangeError, TimeoutError, APIError, ConnectionError (as {@link startServices}).
 */
export function restartServices(
  rq: Requester,
  names: readonly string[],
  options: ServiceChangeOptions = {},
): Promise<string> {
  return serviceAction(rq, 'restart', names, options);
}

/**
 * Starts the `startup: enabled` services. Returns the change id.
 * @throws APIError (400, kind `no-default-services`, when none is enabled); ChangeError,
 *   TimeoutError, ConnectionError.
 */
export function autostartServices(
  rq: Requester,
  options: ServiceChangeOptions = {},
): Promise<string> {
  return serviceAction(rq, 'autostart', [], options);
}

/**
 * Restarts services whose definition changed since they started and starts the enabled ones;
 * unchanged running services are left alone. Returns the change id.
 * @throws ChangeError, TimeoutError, APIError, ConnectionError.
 */
export function replanServices(rq: Requester, options: ServiceChangeOptions = {}): Promise<string> {
  return serviceAction(rq, 'replan', [], options);
}

/**
 * `POST /v1/signals`: sends a signal such as `SIGHUP` to running services.
 * @throws APIError (500 `service is not running`, or an invalid signal; 400 for no services);
 *   ConnectionError.
 */
export async function sendSignal(
  rq: Requester,
  signal: string,
  services: readonly string[],
  options: RequestOptions = {},
): Promise<void> {
  await rq.sync({
    method: 'POST',
    path: '/v1/signals',
    body: { signal, services },
    signal: options.signal,
  });
}
