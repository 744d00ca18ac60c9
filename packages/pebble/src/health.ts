/**
 * System info and health.
 * @module
 */

import { ProtocolError } from './errors.ts';
import type { Requester } from './internal/requester.ts';
import type { HealthOptions, RequestOptions, SystemInfo } from './types.ts';

interface SystemInfoWire {
  'boot-id'?: string;
  version?: string;
  'http-address'?: string;
  'https-address'?: string;
}

/** `GET /v1/system-info`. With `retry: false` a connection error is thrown at once. */
export async function getSystemInfo(
  rq: Requester,
  options: RequestOptions & { retry?: boolean } = {},
): Promise<SystemInfo> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/system-info',
    signal: options.signal,
    ...(options.retry === false ? { noRetry: true } : {}),
  });
  const wire = (result ?? {}) as SystemInfoWire;
  if (typeof wire.version !== 'string') {
    throw new ProtocolError('cannot read system-info: no version in the answer');
  }
  const info: SystemInfo = { bootId: wire['boot-id'] ?? '', version: wire.version };
  if (wire['http-address']) info.httpAddress = wire['http-address'];
  if (wire['https-address']) info.httpsAddress = wire['https-address'];
  return info;
}

/** `GET /v1/health`: Pebble answers 502 (still a sync envelope) when a check is down. */
export async function getHealth(rq: Requester, options: HealthOptions = {}): Promise<boolean> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/health',
    query: { level: options.level, names: options.names },
    signal: options.signal,
  });
  const healthy = (result as { healthy?: unknown } | null)?.healthy;
  if (typeof healthy !== 'boolean') {
    throw new ProtocolError('cannot read health: no "healthy" in the answer');
  }
  return healthy;
}
