/**
 * `IngressRequirer`: the requirer side of ingress v2 as a library with events of its own, what
 * `IngressPerAppRequirer` of `charms.traefik_k8s.v2.ingress` is to a Python charm. It publishes
 * the request (the bags {@link ingressRequirerAppBag} and {@link ingressRequirerUnitBag} write),
 * emits `ready` when the provider grants a new URL and `revoked` when the relation is broken, and
 * keeps the URL in its stored state.
 * @module
 */
import { type LibraryParent, type Relation, RelationDataError } from '@charm-ts/ops';
import { RelationLibrary } from '../relation-library.ts';
import {
  ingressRequirerAppBag,
  ingressRequirerUnitBag,
  readIngressProviderAppBag,
} from './requirer.ts';
import {
  type IngressHealthcheck,
  type IngressScheme,
  type IngressUrl,
  ingressUnitHost,
} from './schema.ts';

/** The events of {@link IngressRequirer}, with their payloads. */
export interface IngressRequirerEvents {
  /** The provider granted a URL this unit had not seen (`IngressPerAppReadyEvent`). */
  ready: { relation: Relation; url: string };
  /** The relation is broken: no URL any more (`IngressPerAppRevokedEvent`). */
  revoked: { relation: Relation };
}

/** Options of {@link IngressRequirer}, as the library's constructor takes them. */
export interface IngressRequirerOptions {
  /** Optional: the endpoint. Default `ingress`. */
  readonly endpoint?: string;
  /**
   * Optional: the port to route to. When given, the request is published on the library's own
   * hooks; without it, nothing is published until `provideIngressRequirements({ port })`.
   */
  readonly port?: number;
  /** Optional: the host the provider reaches each unit at. Default {@link ingressUnitHost}. */
  readonly host?: string;
  /** Optional: the unit's address. Default the endpoint's bind address (`network-get`). */
  readonly ip?: string;
  /** Optional: strip the `/<model>-<app>` prefix before forwarding. Default false. */
  readonly stripPrefix?: boolean;
  /** Optional: redirect http to https. Default false. */
  readonly redirectHttps?: boolean;
  /** Optional: the scheme of the URL handed out (or a function giving it). Default `http`. */
  readonly scheme?: IngressScheme | (() => IngressScheme);
  /** Optional: a health check for the provider to run. Default none. */
  readonly healthcheck?: IngressHealthcheck;
}

/** What `provideIngressRequirements` takes: the port, and what overrides the constructor's options. */
export interface IngressRequirements {
  /** Required: the port to route to, 1 to 65534. */
  readonly port: number;
  /**
   * Optional: whether `port` is open on this unit, when the charm knows (it just opened it): saves
   * the `opened-ports` the library asks otherwise. Default: asked.
   */
  readonly isPortOpen?: boolean;
  readonly scheme?: IngressScheme;
  readonly host?: string;
  readonly ip?: string;
}

/** The provider's answer, as {@link IngressRequirer.answer} reads it. */
export type IngressAnswer =
  | { readonly state: 'ready'; readonly url: string }
  | { readonly state: 'pending' }
  | { readonly state: 'unreadable'; readonly problem: string };

/**
 * The requirer side of ingress v2 (`IngressPerAppRequirer`). Observes its endpoint's
 * relation-created, -joined, -changed, -departed and -broken, leader-elected and
 * upgrade-charm: on each it publishes the request (when it knows the port) and reads the
 * provider's answer. Emits `ready` (a new URL, once) and `revoked` (relation-broken). Keeps the
 * URL, and why the answer could not be read, in its stored state (`url`, `problem`), for a
 * holistic charm to read. Namespace: `ingress-requirer[<endpoint>]`.
 *
 * @example
 * const ingress = new IngressRequirer(this, { port: 8080, stripPrefix: true });
 * ingress.on.ready((e) => this.logger.info(`reachable at ${e.url}`));
 * ingress.on.revoked(() => this.logger.info('ingress revoked'));
 */
export class IngressRequirer extends RelationLibrary<IngressRequirerEvents> {
  readonly #options: IngressRequirerOptions;
  readonly #stored: { currentUrl: string | null; problem: string | null };
  /** The port last published (the constructor's, or the last `provideIngressRequirements`). */
  #requirements: IngressRequirements | undefined;

  /** Throws `FrameworkError` when the charm has no such endpoint, or a second requirer on it. */
  constructor(charm: LibraryParent, options: IngressRequirerOptions = {}) {
    super(charm, 'ingress-requirer', options.endpoint ?? 'ingress');
    this.#options = options;
    this.#stored = this.storedState({
      currentUrl: null as string | null,
      problem: null as string | null,
    });
    if (options.port !== undefined) this.#requirements = { port: options.port };
    const on = this.framework.on;
    const endpoint = this.endpoint;
    on.relationCreated(endpoint, (e) => this.#publish([e.relation]));
    on.relationJoined(endpoint, (e) => this.#publish([e.relation]));
    on.relationChanged(endpoint, (e) => this.#changed(e.relation));
    on.relationDeparted(endpoint, (e) => this.#changed(e.relation));
    on.relationBroken(endpoint, (e) => this.#broken(e.relation));
    on.leaderElected(async () => this.#publish(await this.relations()));
    on.upgradeCharm(async () => {
      await this.#publish(await this.relations());
      await this.#adoptGrantedUrl();
    });
  }

  /** The URL the provider granted, or null (what a `reconcile()` reads). */
  get url(): string | null {
    return this.#stored.currentUrl;
  }

  /**
   * Why the provider's last answer could not be read (ops' `RelationDataError` message, naming
   * the relation, the bag and the key), or null. No event is emitted for such an answer.
   */
  get problem(): string | null {
    return this.#stored.problem;
  }

  /** The live relation (the endpoint has a limit of 1), or undefined. */
  async relation(): Promise<Relation | undefined> {
    return (await this.relations())[0];
  }

  /**
   * Publishes the request on every relation of the endpoint, as `provide_ingress_requirements`
   * does; the requirements are remembered for the library's own hooks in this dispatch. Throws
   * @charm-ts/relations' `RelationDataError` for a port outside 1–65534, and what the hook tools
   * throw.
   */
  async provideIngressRequirements(requirements: IngressRequirements): Promise<void> {
    this.#requirements = requirements;
    await this.#publish(await this.relations());
  }

  /** Reads the provider's answer now (one `relation-get` per dispatch); undefined without a relation. */
  async answer(): Promise<IngressAnswer | undefined> {
    const relation = await this.relation();
    return relation && this.#read(relation);
  }

  async #read(relation: Relation): Promise<IngressAnswer> {
    let answer: IngressUrl | undefined;
    try {
      answer = await this.load(relation, readIngressProviderAppBag);
    } catch (error) {
      if (!(error instanceof RelationDataError)) throw error;
      return { state: 'unreadable', problem: error.message };
    }
    return answer ? { state: 'ready', url: answer.url } : { state: 'pending' };
  }

  async #publish(relations: readonly Relation[]): Promise<void> {
    const requirements = this.#requirements;
    if (!requirements) return;
    for (const relation of relations) {
      if (this.isBroken(relation)) continue;
      await this.#publishOne(relation, requirements);
    }
  }

  async #publishOne(relation: Relation, req: IngressRequirements): Promise<void> {
    const model = this.model;
    const options = this.#options;
    if (await model.unit.isLeader()) {
      const scheme =
        req.scheme ?? (typeof options.scheme === 'function' ? options.scheme() : options.scheme);
      const isPortOpen =
        req.isPortOpen ?? (await model.unit.openedPorts()).some((p) => p.port === req.port);
      const appBag = ingressRequirerAppBag({
        model: model.name,
        name: model.app.name,
        port: req.port,
        isPortOpen,
        ...(options.stripPrefix !== undefined && { stripPrefix: options.stripPrefix }),
        ...(options.redirectHttps !== undefined && { redirectHttps: options.redirectHttps }),
        ...(scheme !== undefined && { scheme }),
        ...(options.healthcheck && { healthcheck: options.healthcheck }),
      });
      await this.writeWhole(relation, 'local-app', appBag);
    }
    const ip = req.ip ?? options.ip ?? (await model.binding(relation).network()).bindAddress;
    const unitBag = ingressRequirerUnitBag({
      host: req.host ?? options.host ?? ingressUnitHost(model.unit.name, model.name),
      ...(ip && { ip }),
    });
    await this.writeWhole(relation, 'local-unit', unitBag);
  }

  async #changed(relation: Relation): Promise<void> {
    await this.#publish([relation]);
    const answer = await this.#read(relation);
    if (answer.state === 'unreadable') {
      if (this.#stored.problem !== answer.problem) {
        this.logger.warning(`ingress not ready: ${answer.problem}`);
      }
      this.#stored.problem = answer.problem;
      return;
    }
    this.#stored.problem = null;
    // As the library: only a new URL is news; an answer withdrawn is not (only broken revokes).
    if (answer.state === 'ready' && answer.url !== this.#stored.currentUrl) {
      this.#stored.currentUrl = answer.url;
      await this.emit('ready', { relation, url: answer.url });
    }
  }

  /**
   * After an upgrade from a revision that kept no URL (one without this library), the URL the
   * provider already granted becomes the stored one, without a `ready` event: the Python
   * library's `url` falls back to the relation data the same way.
   */
  async #adoptGrantedUrl(): Promise<void> {
    if (this.#stored.currentUrl !== null) return;
    const relation = await this.relation();
    const answer = relation && (await this.#read(relation));
    if (answer?.state === 'ready') this.#stored.currentUrl = answer.url;
  }

  async #broken(relation: Relation): Promise<void> {
    this.#stored.currentUrl = null;
    this.#stored.problem = null;
    await this.emit('revoked', { relation });
  }
}
