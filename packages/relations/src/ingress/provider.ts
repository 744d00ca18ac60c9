/**
 * The provider side of ingress v2 (`IngressPerAppProvider`): the requirer's bags as it reads
 * them, and the answer it writes.
 * @module
 */
import { isIP } from 'node:net';
import type { DataBag } from '../bag.ts';
import { pythonJson } from '../json.ts';
import { decodeKeys, ValueReader } from '../read.ts';
import {
  BAGS,
  bad,
  httpUrl,
  INGRESS_INTERFACE,
  INGRESS_SCHEMES,
  type IngressHealthcheck,
  type IngressRequest,
  type IngressRequirerUnitData,
  type IngressScheme,
} from './schema.ts';

const APP_KEYS = [
  'model',
  'name',
  'port',
  'is_port_open',
  'healthcheck_params',
  'strip-prefix',
  'redirect-https',
  'scheme',
];

/**
 * The requirer's application bag, read as `IngressRequirerAppData.load()` reads it: only the
 * interface's keys are decoded, defaults fill in what is absent. Booleans must be JSON
 * booleans (pydantic would also take `"yes"` or `1`). Throws `RelationDataError` naming the
 * key where the library raises `DataValidationError`.
 */
export function readIngressRequirerAppBag(bag: DataBag): IngressRequest {
  const ref = { iface: INGRESS_INTERFACE, bag: BAGS.requirerApp };
  const values = decodeKeys(bag, APP_KEYS, ref);
  const read = new ValueReader(values, ref);
  const scheme = values.has('scheme') ? values.get('scheme') : 'http';
  if (!INGRESS_SCHEMES.includes(scheme as IngressScheme)) {
    throw bad(
      ref.bag,
      'scheme',
      `must be one of ${INGRESS_SCHEMES.join(', ')}, not ${JSON.stringify(scheme)}`,
    );
  }
  const healthcheck = readHealthcheck(values.get('healthcheck_params'));
  return {
    model: read.string('model'),
    name: read.string('name'),
    port: read.integer('port', 1, 65534),
    isPortOpen: read.boolean('is_port_open', false),
    stripPrefix: read.boolean('strip-prefix', false),
    redirectHttps: read.boolean('redirect-https', false),
    scheme: scheme as IngressScheme,
    ...(healthcheck && { healthcheck }),
  };
}

/**
 * A requirer unit's bag, read as `IngressRequirerUnitData.load()` reads it. Throws
 * `RelationDataError` for a missing `host` or an `ip` that is not an IP address.
 */
export function readIngressRequirerUnitBag(bag: DataBag): IngressRequirerUnitData {
  const ref = { iface: INGRESS_INTERFACE, bag: BAGS.requirerUnit };
  const values = decodeKeys(bag, ['host', 'ip'], ref);
  const host = new ValueReader(values, ref).string('host');
  const ip = values.get('ip');
  if (ip === undefined || ip === null) return { host };
  if (typeof ip !== 'string' || isIP(ip) === 0) {
    throw bad(ref.bag, 'ip', `must be an IPv4 or IPv6 address, not ${JSON.stringify(ip)}`);
  }
  return { host, ip };
}

/**
 * The provider's application bag, as `publish_url` writes it: `ingress: {"url": …}` with the
 * URL normalised; `{}` for no URL (what the library writes for `ingress=None`). Throws
 * `RelationDataError` for a URL that is not http(s) with a host (the library logs that and
 * writes `{}`).
 */
export function ingressProviderAppBag(url: string | undefined): DataBag {
  if (url === undefined) return {};
  return { ingress: pythonJson({ url: httpUrl(url, BAGS.providerApp, 'ingress.url') }) };
}

function readHealthcheck(value: unknown): IngressHealthcheck | undefined {
  if (value === undefined || value === null) return undefined;
  const key = 'healthcheck_params';
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw bad(BAGS.requirerApp, key, `must be an object, not ${JSON.stringify(value)}`);
  }
  // Nested keys are named `healthcheck_params.<field>` in errors.
  const fields = new Map(Object.entries(value).map(([k, v]) => [`${key}.${k}`, v]));
  const read = new ValueReader(fields, { iface: INGRESS_INTERFACE, bag: BAGS.requirerApp });
  const scheme = read.optionalString(`${key}.scheme`);
  const hostname = read.optionalString(`${key}.hostname`);
  const port = read.optionalInteger(`${key}.port`);
  return {
    path: read.string(`${key}.path`),
    ...(scheme !== undefined && { scheme }),
    ...(hostname !== undefined && { hostname }),
    ...(port !== undefined && { port }),
    interval: read.optionalString(`${key}.interval`) ?? '30s',
    timeout: read.optionalString(`${key}.timeout`) ?? '5s',
  };
}
