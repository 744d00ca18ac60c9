/**
 * The requirer side of `ingress` v2, as traefik-k8s's `charms.traefik_k8s.v2.ingress` library
 * writes and reads it: every value in the bags is JSON-encoded (a string is `"\"name\""`, a
 * number `8080`, a boolean `true`), and the provider answers `ingress: {"url": …}`.
 * @module
 */

/** What this charm asks of the ingress provider. */
export interface IngressRequest {
  /** This application's name. */
  readonly app: string;
  readonly model: string;
  readonly port: number;
}

/**
 * The requirer's application bag (written by the leader): `model`, `name`, `port`,
 * `strip-prefix`, `redirect-https` and `scheme`. The provider routes
 * `http://<host>/<model>-<app>/…` to the units with the prefix stripped, since gosherve serves
 * from `/`.
 */
export function requirerAppData(request: IngressRequest): Record<string, string> {
  return {
    model: JSON.stringify(request.model),
    name: JSON.stringify(request.app),
    port: JSON.stringify(request.port),
    'strip-prefix': JSON.stringify(true),
    'redirect-https': JSON.stringify(false),
    scheme: JSON.stringify('http'),
  };
}

/** The requirer's unit bag: the unit's in-cluster hostname and, when Juju knows it, its address. */
export function requirerUnitData(host: string, ip: string | undefined): Record<string, string> {
  return ip
    ? { host: JSON.stringify(host), ip: JSON.stringify(ip) }
    : { host: JSON.stringify(host) };
}

/** The unit's DNS name in Kubernetes: `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local`. */
export function unitHost(unit: string, model: string): string {
  const app = unit.slice(0, unit.indexOf('/'));
  return `${unit.replace('/', '-')}.${app}-endpoints.${model}.svc.cluster.local`;
}

/** The provider's answer: the URL, nothing yet, or why the bag cannot be read. */
export type IngressAnswer =
  | { readonly state: 'ready'; readonly url: string }
  | { readonly state: 'pending' }
  | { readonly state: 'invalid'; readonly problem: string };

/** Reads the provider's application bag (`ingress: {"url": "http://…"}`); never throws. */
export function parseProviderData(bag: Readonly<Record<string, string>>): IngressAnswer {
  const raw = bag.ingress;
  if (raw === undefined || raw === '') return { state: 'pending' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {
      state: 'invalid',
      problem: `'ingress' is not JSON: ${JSON.stringify(raw.slice(0, 80))}`,
    };
  }
  const url = (value as { url?: unknown } | null)?.url;
  if (typeof url !== 'string')
    return { state: 'invalid', problem: "'ingress' has no string 'url'" };
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return {
      state: 'invalid',
      problem: `'ingress.url' is not an http(s) URL: ${JSON.stringify(url)}`,
    };
  }
  return { state: 'ready', url };
}
