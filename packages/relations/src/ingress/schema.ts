/**
 * ingress v2's data, as `charms.traefik_k8s.v2.ingress` (LIBPATCH 21) models it: the requirer
 * writes an application bag and one bag per unit, the provider answers in its application bag.
 * Every value is JSON (`json.dumps`); keys left at their default are not written.
 * @module
 */
import { RelationDataError } from '../errors.ts';

/** The interface name in charmcraft.yaml. */
export const INGRESS_INTERFACE = 'ingress';

/** The URL schemes the provider may route with. */
export type IngressScheme = 'http' | 'https' | 'h2c';
export const INGRESS_SCHEMES: readonly IngressScheme[] = ['http', 'https', 'h2c'];

/** The health check the provider runs against each unit (`healthcheck_params`). */
export interface IngressHealthcheck {
  /** Required: the path to GET, e.g. `/healthz`. */
  readonly path: string;
  /** Optional: a scheme other than the server URL's. */
  readonly scheme?: string;
  /** Optional: the Host header to send. */
  readonly hostname?: string;
  /** Optional: a port other than the server URL's. */
  readonly port?: number;
  /** Optional: how often. Default `30s` (then not written). */
  readonly interval?: string;
  /** Optional: how long a check may take. Default `5s` (then not written). */
  readonly timeout?: string;
}

/** What the requirer asks for (its application bag, written by the leader). */
export interface IngressRequirerAppData {
  /** Required: the requirer's model name. */
  readonly model: string;
  /** Required: the requirer's application name. */
  readonly name: string;
  /** Required: the port to route to, 1 to 65534. */
  readonly port: number;
  /** Optional: whether `port` is opened on the unit (`is_port_open`). Default false. */
  readonly isPortOpen?: boolean;
  /** Optional: strip the `/<model>-<app>` prefix before forwarding (`strip-prefix`). Default false. */
  readonly stripPrefix?: boolean;
  /** Optional: answer http with a redirect to https (`redirect-https`). Default false. */
  readonly redirectHttps?: boolean;
  /** Optional: the scheme of the URL handed out. Default `http`. */
  readonly scheme?: IngressScheme;
  /** Optional: a health check for the provider to run (`healthcheck_params`). Default none. */
  readonly healthcheck?: IngressHealthcheck;
}

/** The requirer's application bag as the provider reads it: every default filled in. */
export interface IngressRequest extends Required<Omit<IngressRequirerAppData, 'healthcheck'>> {
  readonly healthcheck?: IngressHealthcheck;
}

/** One unit's bag: where the provider sends traffic. */
export interface IngressRequirerUnitData {
  /** Required: the unit's hostname (the library's default is `socket.getfqdn()`). */
  readonly host: string;
  /** Optional: the unit's IP address (the library takes the endpoint's bind address). */
  readonly ip?: string;
}

/** The provider's answer: the URL this application is reachable at. */
export interface IngressUrl {
  /** The URL, normalised as pydantic's `AnyHttpUrl` prints it (`http://gw/` for `http://gw`). */
  readonly url: string;
}

/** Bag names used in errors. */
export const BAGS = {
  requirerApp: 'requirer application bag',
  requirerUnit: 'requirer unit bag',
  providerApp: 'provider application bag',
} as const;

/** A RelationDataError about key `key` of ingress bag `bag`. */
export function bad(
  bag: string,
  key: string,
  problem: string,
  code: 'BAD_VALUE' | 'MISSING_KEY' | 'NOT_JSON' = 'BAD_VALUE',
): RelationDataError {
  return new RelationDataError(code, problem, { iface: INGRESS_INTERFACE, bag, key });
}

/** The hostname `socket.getfqdn()` gives in a Juju unit's pod: `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local`. */
export function ingressUnitHost(unit: string, model: string): string {
  const slash = unit.indexOf('/');
  const app = unit.slice(0, slash);
  return `${app}-${unit.slice(slash + 1)}.${app}-endpoints.${model}.svc.cluster.local`;
}

/** `value` as pydantic's `AnyHttpUrl` accepts and prints it (WHATWG parsing, as its Rust core). */
export function httpUrl(value: unknown, bag: string, key: string): string {
  if (typeof value !== 'string') throw bad(bag, key, `must be a URL string, not ${value}`);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw bad(bag, key, `must be an http or https URL with a host, not ${JSON.stringify(value)}`);
  }
  if (url.href.length > 2083) throw bad(bag, key, 'is longer than 2083 characters');
  return url.href;
}
