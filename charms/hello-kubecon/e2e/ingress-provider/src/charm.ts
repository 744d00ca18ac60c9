/**
 * The ingress provider test charm: it decodes the requirer's request with the rules of the
 * traefik-k8s v2 library (every value JSON; `port` an int in 1..65534; `scheme` http, https or
 * h2c; unit `host` a string, `ip` an IP address) and, as leader, publishes
 * `ingress: {"url": "http://<external-host>/<model>-<name>"}`. Its status says what it decoded.
 * @module
 */
import { isIP } from 'node:net';
import {
  Charm,
  type CharmRuntimeMeta,
  type Framework,
  main,
  type Relation,
  Status,
} from '@charm-ts/ops';

const meta: CharmRuntimeMeta = {
  name: 'ingress-provider',
  config: { 'external-host': { type: 'string', default: 'ingress.example' } },
  actions: {},
  endpoints: { requires: {}, provides: { ingress: { interface: 'ingress' } }, peers: {} },
  containers: {},
  storage: {},
};

interface Types {
  config: { 'external-host': string };
  actions: Record<string, never>;
  endpoints: 'ingress';
  containers: never;
  storages: never;
}

/** A decoded, valid request; or the first problem. */
type Request =
  | {
      ok: true;
      model: string;
      name: string;
      port: number;
      stripPrefix: boolean;
      scheme: string;
      hosts: string[];
    }
  | { ok: false; problem: string };

function json(bag: Record<string, string>, key: string): unknown {
  const raw = bag[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${key} is not JSON: ${JSON.stringify(raw)}`);
  }
}

async function decode(relation: Relation): Promise<Request> {
  try {
    const app = await relation.remoteAppData();
    const model = json(app, 'model');
    const name = json(app, 'name');
    const port = json(app, 'port');
    const stripPrefix = json(app, 'strip-prefix') ?? false;
    const redirectHttps = json(app, 'redirect-https') ?? false;
    const scheme = json(app, 'scheme') ?? 'http';
    if (typeof model !== 'string' || typeof name !== 'string')
      return { ok: false, problem: 'waiting for model and name' };
    if (!Number.isInteger(port) || (port as number) <= 0 || (port as number) >= 65535)
      return { ok: false, problem: `port must be an int in 1..65534, got ${JSON.stringify(port)}` };
    if (typeof stripPrefix !== 'boolean' || typeof redirectHttps !== 'boolean')
      return { ok: false, problem: 'strip-prefix and redirect-https must be booleans' };
    if (typeof scheme !== 'string' || !['http', 'https', 'h2c'].includes(scheme))
      return { ok: false, problem: `invalid scheme ${JSON.stringify(scheme)}` };
    const hosts: string[] = [];
    for (const unit of await relation.units()) {
      const bag = await relation.remoteUnitData(unit);
      const host = json(bag, 'host');
      const ip = json(bag, 'ip');
      if (typeof host !== 'string') return { ok: false, problem: `${unit} has no host` };
      if (ip !== undefined && ip !== null && (typeof ip !== 'string' || isIP(ip) === 0))
        return { ok: false, problem: `${unit} ip ${JSON.stringify(ip)} is not an IP address` };
      hosts.push(ip ? `${host}@${ip}` : host);
    }
    return { ok: true, model, name, port: port as number, stripPrefix, scheme, hosts };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}

class IngressProviderCharm extends Charm<Types> {
  constructor(framework: Framework) {
    super(framework);
    // Not relation-changed: @charm-ts/ops cannot build that event when the remote app bag
    // changed (no JUJU_REMOTE_UNIT). joined sees the data the requirer wrote on created, and
    // update-status catches up with anything later.
    const reconcile = () => this.#reconcile();
    this.on.relationJoined('ingress', reconcile);
    this.on.configChanged(reconcile);
    this.on.updateStatus(reconcile);
    this.on.leaderElected(reconcile);
  }

  async #reconcile(): Promise<void> {
    const relations = await this.model.relations('ingress');
    if (relations.length === 0) return this.addStatus(Status.active('no requirers'));
    const { 'external-host': host } = await this.config();
    for (const relation of relations) {
      const request = await decode(relation);
      if (!request.ok) {
        this.addStatus(Status.waiting(request.problem));
        continue;
      }
      const url = `http://${host}/${request.model}-${request.name}`;
      if (await this.unit.isLeader()) {
        const ingress = JSON.stringify({ url });
        if ((await relation.localAppData()).ingress !== ingress)
          await relation.setAppData({ ingress });
      }
      this.addStatus(
        Status.active(
          `${url} -> ${request.scheme}://[${request.hosts.join(' ')}]:${request.port}${request.stripPrefix ? ' (prefix stripped)' : ''}`,
        ),
      );
    }
  }
}

void main(IngressProviderCharm, { meta });
