/**
 * Grafana's side of ingress v2, on `@charm-ts/relations`: the request as today's Grafana makes
 * it (`IngressPerAppRequirer(port, strip_prefix=False)`: Grafana serves from the sub-path
 * itself), and the URL read back.
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
export interface IngressRequest {
  readonly unit: string;
  readonly app: string;
  readonly model: string;
  readonly port: number;
  /** This unit's address on the relation, when Juju gives one. */
  readonly ip: string | undefined;
  readonly leader: boolean;
  readonly isPortOpen: boolean;
}

/** Writes this unit's bag and, as leader, the application's; each whole, only what differs. */
export async function publishIngressRequest(
  relation: Relation,
  request: IngressRequest,
): Promise<void> {
  const unitBag = ingressRequirerUnitBag({
    host: ingressUnitHost(request.unit, request.model),
    ...(request.ip && { ip: request.ip }),
  });
  await writeWhole(await relation.localUnitData(), unitBag, (d) => relation.setUnitData(d));
  if (!request.leader) return;
  const appBag = ingressRequirerAppBag({
    model: request.model,
    name: request.app,
    port: request.port,
    isPortOpen: request.isPortOpen,
  });
  await writeWhole(await relation.localAppData(), appBag, (d) => relation.setAppData(d));
}

/** The provider's URL, undefined while it has none; `problem` when it cannot be read. */
export function ingressUrl(bag: DataBag): { url?: string; problem?: string } {
  try {
    const answer = readIngressProviderAppBag(bag);
    return answer ? { url: answer.url } : {};
  } catch (error) {
    if (error instanceof RelationDataError) return { problem: error.message };
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
