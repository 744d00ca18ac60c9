/**
 * hello-kubecon's side of ingress v2, on `@charm-ts/relations`: what the original asked of
 * traefik (port 8080, the path prefix stripped, since gosherve serves from `/`), written as
 * `IngressPerAppRequirer(port=8080, strip_prefix=True)` writes it, and the URL read back.
 * @module
 */
import type { Relation } from '@charm-ts/ops';
import {
  bagChanges,
  type DataBag,
  ingressRequirerAppBag,
  ingressRequirerUnitBag,
  ingressUnitHost,
  RelationDataError,
  readIngressProviderAppBag,
} from '@charm-ts/relations';

/** What the charm publishes. */
export interface IngressRequestOptions {
  readonly unit: string;
  readonly app: string;
  readonly model: string;
  readonly port: number;
  /** This unit's address on the relation (`network-get`), when Juju gives one. */
  readonly ip: string | undefined;
  /** Whether this unit is the leader (only it writes the application bag). */
  readonly leader: boolean;
  /** Whether `port` is open on the unit (asked only when the leader writes). */
  readonly isPortOpen: () => Promise<boolean>;
}

/**
 * Writes this unit's bag and, as leader, the application's, each whole: one `relation-set`
 * of what differs (stale keys, such as v1's `host`, deleted), none when nothing does.
 */
export async function publishIngressRequest(
  relation: Relation,
  options: IngressRequestOptions,
): Promise<void> {
  const unitBag = ingressRequirerUnitBag({
    host: ingressUnitHost(options.unit, options.model),
    ...(options.ip && { ip: options.ip }),
  });
  await writeWhole(await relation.localUnitData(), unitBag, (d) => relation.setUnitData(d));
  if (!options.leader) return;
  const appBag = ingressRequirerAppBag({
    model: options.model,
    name: options.app,
    port: options.port,
    stripPrefix: true,
    isPortOpen: await options.isPortOpen(),
  });
  await writeWhole(await relation.localAppData(), appBag, (d) => relation.setAppData(d));
}

/** The provider's answer: a URL, nothing yet, or why it cannot be read. */
export type IngressAnswer =
  | { readonly state: 'ready'; readonly url: string }
  | { readonly state: 'pending' }
  | { readonly state: 'unreadable'; readonly problem: string };

/** Reads the provider's application bag; never throws for bad data. */
export function ingressAnswer(bag: DataBag): IngressAnswer {
  try {
    const answer = readIngressProviderAppBag(bag);
    return answer ? { state: 'ready', url: answer.url } : { state: 'pending' };
  } catch (error) {
    if (error instanceof RelationDataError) return { state: 'unreadable', problem: error.message };
    throw error;
  }
}

async function writeWhole(
  have: DataBag,
  want: DataBag,
  write: (changes: Record<string, string>) => Promise<void>,
): Promise<void> {
  const changes = bagChanges(have, want);
  if (Object.keys(changes).length > 0) await write(changes);
}
