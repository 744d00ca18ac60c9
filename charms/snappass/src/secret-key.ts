/**
 * The Flask secret key: a Juju secret generated once by the leader, its id shared with every
 * unit in the peer relation's application data. The key itself is never logged, put in config
 * or on a command line.
 * @module
 */
import type { Model } from '@charm-ts/ops';
import type { Config, ContainerName, Endpoint, StorageName } from './charmcraft.generated.ts';

/** The peer endpoint that carries the secret's id. */
export const PEER_ENDPOINT = 'snappass-peers';
/** The peer application data key holding the secret's id. */
export const SECRET_ID_KEY = 'secret-key-id';
/** The secret's label and its one content key. */
export const SECRET_LABEL = 'snappass-secret-key';
export const SECRET_CONTENT_KEY = 'secret-key';

/** The secret holds no key: someone edited it by hand. The hook fails and Juju retries. */
export class SecretKeyError extends Error {
  readonly code = 'SNAPPASS_SECRET_KEY';
  override readonly name = 'SecretKeyError';
}

/** The key, or why there is none yet (a waiting status). */
export type SecretKey = { readonly key: string } | { readonly waiting: string };

type SnappassModel = Model<Config, Endpoint, ContainerName, StorageName>;

/**
 * Reads the secret key; on the leader, creates it first when nobody has. Throws the model's
 * `ModelError` / `SecretNotFoundError` when Juju refuses, `SecretKeyError` for a secret without
 * the key (the hook fails and Juju retries).
 */
export async function secretKey(model: SnappassModel): Promise<SecretKey> {
  const peers = await model.relation(PEER_ENDPOINT);
  if (!peers) return { waiting: 'waiting for the peer relation' };
  const id = (await peers.localAppData())[SECRET_ID_KEY];
  if (id) {
    // Track the latest revision, so that every unit converges on the same key.
    const content = await model.getSecret({ id }).get({ refresh: true });
    const key = content[SECRET_CONTENT_KEY];
    if (!key) {
      throw new SecretKeyError(
        `secret ${id} has no '${SECRET_CONTENT_KEY}' key: remove the '${SECRET_ID_KEY}' key of the ${PEER_ENDPOINT} application data so the leader makes a new one`,
      );
    }
    return { key };
  }
  if (!(await model.unit.isLeader())) {
    return { waiting: 'waiting for the leader to generate the secret key' };
  }
  // Web Crypto rather than node:crypto: nothing crypto loads on the hooks that do not need it.
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const secret = await model.app.addSecret(
    { [SECRET_CONTENT_KEY]: key },
    { label: SECRET_LABEL, description: 'Flask secret key of SnapPass' },
  );
  await peers.setAppData({ [SECRET_ID_KEY]: secret.id as string });
  return { key };
}
