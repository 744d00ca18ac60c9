/**
 * Identities as `POST /v1/identities` manages them: add, update, replace, remove, with
 * Pebble's validation texts; secrets are masked as `*****` when listed.
 * @module
 */

import type { Identity } from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';

const nameRe = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
const accesses = ['admin', 'read', 'metrics', 'untrusted'];

function check(name: string, identity: Identity): void {
  if (!nameRe.test(name)) {
    throw new APIError(
      400,
      `identity name "${name}" invalid: must start with an alphabetic character and only contain alphanumeric characters, underscore, and hyphen`,
    );
  }
  if (!identity.access) {
    throw new APIError(
      400,
      `identity "${name}" invalid: access value must be specified ("admin", "read", "metrics", or "untrusted")`,
    );
  }
  if (!accesses.includes(identity.access)) {
    throw new APIError(
      400,
      `identity "${name}" invalid: invalid access value "${identity.access}", must be "admin", "read", "metrics", or "untrusted"`,
    );
  }
}

/** The identities of one in-memory Pebble. */
export class IdentityStore {
  readonly #identities = new Map<string, Identity>();

  /** Listed as Pebble lists them, secrets masked. */
  list(): Record<string, Identity> {
    const out: Record<string, Identity> = {};
    for (const [name, identity] of [...this.#identities].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const copy = structuredClone(identity);
      if (copy.basic) copy.basic = { password: '*****' };
      out[name] = copy;
    }
    return out;
  }

  /** Throws APIError 400 for an invalid identity or one that exists. */
  add(identities: Record<string, Identity>): void {
    for (const [name, identity] of Object.entries(identities)) check(name, identity);
    const existing = Object.keys(identities)
      .filter((n) => this.#identities.has(n))
      .sort();
    if (existing.length > 0)
      throw new APIError(400, `identities already exist: ${existing.join(', ')}`);
    for (const [name, identity] of Object.entries(identities))
      this.#identities.set(name, structuredClone(identity));
  }

  /** Throws APIError 400 for an invalid identity or one that does not exist. */
  update(identities: Record<string, Identity>): void {
    for (const [name, identity] of Object.entries(identities)) check(name, identity);
    this.#requireAll(Object.keys(identities));
    for (const [name, identity] of Object.entries(identities))
      this.#identities.set(name, structuredClone(identity));
  }

  /** `null` removes; anything else is set. Throws APIError 400 for an invalid identity. */
  replace(identities: Record<string, Identity | null>): void {
    for (const [name, identity] of Object.entries(identities)) if (identity) check(name, identity);
    for (const [name, identity] of Object.entries(identities)) {
      if (identity) this.#identities.set(name, structuredClone(identity));
      else this.#identities.delete(name);
    }
  }

  /** Throws APIError 400 when one does not exist. */
  remove(names: readonly string[]): void {
    this.#requireAll(names);
    for (const name of names) this.#identities.delete(name);
  }

  #requireAll(names: readonly string[]): void {
    const missing = names.filter((n) => !this.#identities.has(n)).sort();
    if (missing.length > 0)
      throw new APIError(400, `identities do not exist: ${missing.join(', ')}`);
  }
}
