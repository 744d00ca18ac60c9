/**
 * The requirer side of ingress v2 (`IngressPerAppRequirer`): the bags it writes, and the
 * provider's answer as it reads it.
 * @module
 */
import { isIP } from 'node:net';
import type { DataBag } from '../bag.ts';
import { type JsonValue, pythonJson } from '../json.ts';
import { decodeKeys } from '../read.ts';
import {
  BAGS,
  bad,
  httpUrl,
  INGRESS_INTERFACE,
  INGRESS_SCHEMES,
  type IngressHealthcheck,
  type IngressRequirerAppData,
  type IngressRequirerUnitData,
  type IngressUrl,
} from './schema.ts';

/**
 * The requirer's application bag, exactly as the library's `IngressRequirerAppData.dump()`
 * writes it: `model`, `name` and `port` always; `is_port_open`, `strip-prefix`,
 * `redirect-https`, `scheme` and `healthcheck_params` only when they differ from their
 * defaults (false, false, false, `http`, none). Write it whole (see `bagChanges`).
 * Throws `RelationDataError` `BAD_VALUE` for a port outside 1–65534 or an unknown scheme.
 */
export function ingressRequirerAppBag(data: IngressRequirerAppData): DataBag {
  const bag = BAGS.requirerApp;
  if (!Number.isInteger(data.port) || data.port < 1 || data.port > 65534) {
    throw bad(bag, 'port', `must be an integer from 1 to 65534, not ${data.port}`);
  }
  if (data.scheme !== undefined && !INGRESS_SCHEMES.includes(data.scheme)) {
    throw bad(bag, 'scheme', `must be one of ${INGRESS_SCHEMES.join(', ')}, not ${data.scheme}`);
  }
  const out: Record<string, string> = {
    model: pythonJson(data.model),
    name: pythonJson(data.name),
    port: pythonJson(data.port),
  };
  if (data.isPortOpen) out.is_port_open = pythonJson(true);
  if (data.healthcheck) out.healthcheck_params = pythonJson(healthcheckJson(data.healthcheck));
  if (data.stripPrefix) out['strip-prefix'] = pythonJson(true);
  if (data.redirectHttps) out['redirect-https'] = pythonJson(true);
  if (data.scheme !== undefined && data.scheme !== 'http') out.scheme = pythonJson(data.scheme);
  return out;
}

/**
 * A unit's bag, as `IngressRequirerUnitData.dump()` writes it: `host`, and `ip` when known.
 * Throws `RelationDataError` `BAD_VALUE` for an empty host or an `ip` that is not an address.
 */
export function ingressRequirerUnitBag(data: IngressRequirerUnitData): DataBag {
  if (!data.host) throw bad(BAGS.requirerUnit, 'host', 'must be a hostname, not empty');
  if (data.ip !== undefined && isIP(data.ip) === 0) {
    throw bad(BAGS.requirerUnit, 'ip', `must be an IPv4 or IPv6 address, not ${data.ip}`);
  }
  const out: Record<string, string> = { host: pythonJson(data.host) };
  if (data.ip !== undefined) out.ip = pythonJson(data.ip);
  return out;
}

/**
 * The provider's answer, read as the library's `_get_url_from_relation_data` reads it:
 * undefined while there is none (an empty bag, no `ingress` key, or `ingress: null`), else the
 * URL. Keys other than `ingress` are ignored. Throws `RelationDataError` (`NOT_JSON`,
 * `BAD_VALUE`, `MISSING_KEY` for `ingress.url`) when `ingress` is unreadable, where the
 * library raises `DataValidationError`.
 */
export function readIngressProviderAppBag(bag: DataBag): IngressUrl | undefined {
  const ref = { iface: INGRESS_INTERFACE, bag: BAGS.providerApp };
  const ingress = decodeKeys(bag, ['ingress'], ref).get('ingress');
  if (ingress === undefined || ingress === null) return undefined;
  if (typeof ingress !== 'object' || Array.isArray(ingress)) {
    throw bad(ref.bag, 'ingress', `must be an object with a url, not ${JSON.stringify(ingress)}`);
  }
  const url = (ingress as { url?: unknown }).url;
  if (url === undefined) throw bad(ref.bag, 'ingress.url', 'is missing', 'MISSING_KEY');
  return { url: httpUrl(url, ref.bag, 'ingress.url') };
}

/** The health check without its defaults, in the library's field order. */
function healthcheckJson(check: IngressHealthcheck): JsonValue {
  if (!check.path) throw bad(BAGS.requirerApp, 'healthcheck_params.path', 'must not be empty');
  return {
    path: check.path,
    scheme: check.scheme,
    hostname: check.hostname,
    port: check.port,
    interval: check.interval === '30s' ? undefined : check.interval,
    timeout: check.timeout === '5s' ? undefined : check.timeout,
  };
}
