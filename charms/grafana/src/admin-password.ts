/**
 * The admin password: generated once by the leader into an application Juju secret labelled
 * `admin-password` (content `{"password": …}`, 12 letters and digits, as today's charm makes
 * it), its id shared with every unit through the peer relation. It is never logged, put in a
 * status, the layer or a command line; only grafana.ini (0600) and the get-admin-password
 * action carry it.
 * @module
 */
import { type Model, SecretNotFoundError } from '@charm-ts/ops';
import type { Config, ContainerName, Endpoint, StorageName } from './charmcraft.generated.ts';

export const ADMIN_SECRET_LABEL = 'admin-password';
export const ADMIN_SECRET_KEY = 'password';
/** The peer application data key holding the secret's id. */
export const ADMIN_SECRET_ID_KEY = 'admin-password-secret-id';
export const PEER_ENDPOINT = 'grafana';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

type GrafanaModel = Model<Config, Endpoint, ContainerName, StorageName>;

/** A secret that holds no password: someone edited it by hand. The hook fails; Juju retries. */
export class AdminSecretError extends Error {
  override readonly name = 'AdminSecretError';
}

/** 12 characters from [A-Za-z0-9], uniformly (rejection sampling over random bytes). */
export function generatePassword(length = 12): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 4 × 62: bytes above it would favour the first letters.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/**
 * The password, or undefined while a follower waits for the leader. With `create`, a leader
 * that finds none makes it. Throws `AdminSecretError` for a secret without a password, and the
 * model's errors when Juju refuses.
 */
export async function adminPassword(
  model: GrafanaModel,
  options: { create: boolean },
): Promise<string | undefined> {
  const peers = await model.relation(PEER_ENDPOINT);
  const id = peers ? (await peers.localAppData())[ADMIN_SECRET_ID_KEY] : undefined;
  const leader = await model.unit.isLeader();
  if (id || leader) {
    const found = await readSecret(model, id);
    if (found) {
      const password = found.content[ADMIN_SECRET_KEY];
      if (!password) {
        throw new AdminSecretError(
          `the ${ADMIN_SECRET_LABEL} secret has no '${ADMIN_SECRET_KEY}' key: remove the secret so the leader makes a new one`,
        );
      }
      // A leader that made the secret before the peer relation existed shares its id now.
      if (leader && peers && !id && found.id)
        await peers.setAppData({ [ADMIN_SECRET_ID_KEY]: found.id });
      return password;
    }
  }
  if (!leader || !options.create || !peers) return undefined;
  const password = generatePassword();
  const secret = await model.app.addSecret(
    { [ADMIN_SECRET_KEY]: password },
    { label: ADMIN_SECRET_LABEL, description: 'The Grafana admin password' },
  );
  await peers.setAppData({ [ADMIN_SECRET_ID_KEY]: secret.id as string });
  return password;
}

/** The secret's content (and id), by id when known, else (the leader) by label. */
async function readSecret(
  model: GrafanaModel,
  id: string | undefined,
): Promise<{ content: Record<string, string>; id: string | undefined } | undefined> {
  try {
    const secret = model.getSecret(id ? { id } : { label: ADMIN_SECRET_LABEL });
    const content = await secret.get({ refresh: true });
    return { content, id: id ?? (await secret.info()).id };
  } catch (error) {
    if (error instanceof SecretNotFoundError) return undefined;
    throw error;
  }
}
