/**
 * Identities (Pebble ≥ 1.15): list, add, update, replace, remove. Secrets come back masked
 * (`*****`) from Pebble; they are never logged here.
 * @module
 */
import type { Requester } from './internal/requester.ts';
import type { Identity, IdentityAccess, RequestOptions } from './types.ts';

interface IdentityWire {
  access: string;
  local?: { 'user-id'?: number | null };
  basic?: { password: string };
  cert?: { pem: string };
}

function toWire(identity: Identity): IdentityWire {
  const wire: IdentityWire = { access: identity.access };
  if (identity.local) wire.local = { 'user-id': identity.local.userId };
  if (identity.basic) wire.basic = { password: identity.basic.password };
  if (identity.cert) wire.cert = { pem: identity.cert.pem };
  return wire;
}

function fromWire(wire: IdentityWire): Identity {
  const identity: Identity = { access: (wire.access ?? 'untrusted') as IdentityAccess };
  if (wire.local) identity.local = { userId: wire.local['user-id'] ?? 0 };
  if (wire.basic) identity.basic = { password: wire.basic.password };
  if (wire.cert) identity.cert = { pem: wire.cert.pem };
  return identity;
}

/**
 * `GET /v1/identities`, by name.
 * @throws NotSupportedError (Pebble < 1.15), APIError, ConnectionError.
 */
export async function listIdentities(
  rq: Requester,
  options: RequestOptions = {},
): Promise<Record<string, Identity>> {
  const { result } = await rq.sync({
    method: 'GET',
    path: '/v1/identities',
    signal: options.signal,
  });
  const out: Record<string, Identity> = {};
  for (const [name, wire] of Object.entries((result ?? {}) as Record<string, IdentityWire>)) {
    out[name] = fromWire(wire);
  }
  return out;
}

async function post(
  rq: Requester,
  action: 'add' | 'update' | 'replace' | 'remove',
  identities: Record<string, IdentityWire | null>,
  options: RequestOptions,
): Promise<void> {
  await rq.sync({
    method: 'POST',
    path: '/v1/identities',
    body: { action, identities },
    signal: options.signal,
  });
}

function mapWire(identities: Record<string, Identity | null>): Record<string, IdentityWire | null> {
  const out: Record<string, IdentityWire | null> = {};
  for (const [name, identity] of Object.entries(identities)) {
    out[name] = identity === null ? null : toWire(identity);
  }
  return out;
}

/**
 * Adds new identities.
 * @throws APIError (400 when one exists or is invalid), NotSupportedError, ConnectionError.
 */
export function addIdentities(
  rq: Requester,
  identities: Record<string, Identity>,
  options: RequestOptions = {},
): Promise<void> {
  return post(rq, 'add', mapWire(identities), options);
}

/**
 * Updates existing identities.
 * @throws APIError (400 when one does not exist or is invalid), NotSupportedError, ConnectionError.
 */
export function updateIdentities(
  rq: Requester,
  identities: Record<string, Identity>,
  options: RequestOptions = {},
): Promise<void> {
  return post(rq, 'update', mapWire(identities), options);
}

/**
 * Adds or replaces identities; `null` removes one.
 * @throws APIError (400 when one is invalid), NotSupportedError, ConnectionError.
 */
export function replaceIdentities(
  rq: Requester,
  identities: Record<string, Identity | null>,
  options: RequestOptions = {},
): Promise<void> {
  return post(rq, 'replace', mapWire(identities), options);
}

/**
 * Removes identities by name.
 * @throws APIError (400 when one does not exist), NotSupportedError, ConnectionError.
 */
export function removeIdentities(
  rq: Requester,
  names: readonly string[],
  options: RequestOptions = {},
): Promise<void> {
  return post(rq, 'remove', Object.fromEntries(names.map((name) => [name, null])), options);
}
