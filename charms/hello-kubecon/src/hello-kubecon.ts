/**
 * The hello-kubecon charm: gosherve serving a site from the `webroot` storage, the site fetched
 * on install and replaced atomically by the `pull-site` action, and ingress v2 through
 * `@charm-ts/relations`' `IngressRequirer`. Holistic: one handler brings the unit to what config
 * asks on each event it observes; the ingress library publishes the request and reports the URL
 * through its events and state; collect-status reports what the workload is doing.
 * @module
 */
import {
  type ActionEvent,
  Charm,
  type CollectStatusEvent,
  type Framework,
  type HookEvent,
  Status,
} from '@charm-ts/ops';
import { IngressRequirer } from '@charm-ts/relations';
import type { Actions, Config, Types } from './charmcraft.generated.ts';
import { SiteError } from './errors.ts';
import { pullSite } from './site/pull-site.ts';
import { ORIGINAL, PLACEHOLDER, Webroot } from './site/webroot.ts';
import { redact, urlProblem } from './urls.ts';
import {
  applyLayer,
  GOSHERVE_PORT,
  gosherveLayer,
  isChangeError,
  workloadStatus,
} from './workload.ts';

/** Status texts kept verbatim from the original charm. */
export const WAITING_FOR_PEBBLE = 'waiting for Pebble in workload container';
export const FETCHING = 'Fetching web site';
/** The install-time fetch's deadline: a hook must not hang on a slow server. */
export const INSTALL_FETCH_TIMEOUT_MS = 30_000;

/** What the unit remembers between dispatches. */
interface Stored extends Record<string, unknown> {
  /** Why the install-time fetch failed ('' when it did not, or a later pull-site worked). */
  fetchProblem: string;
}

/** gosherve, its site and its ingress. */
export class HelloKubeconCharm extends Charm<Types> {
  readonly #memo = new Map<string, Promise<unknown>>();
  readonly #stored: Stored;
  /**
   * ingress v2, as `IngressPerAppRequirer(port=8080, strip_prefix=True)`: the library publishes
   * the request on its own hooks and keeps the URL traefik grants in its stored state.
   */
  readonly #ingress: IngressRequirer;

  constructor(framework: Framework) {
    super(framework);
    this.#stored = this.storedState<Stored>({ fetchProblem: '' });
    this.#ingress = new IngressRequirer(this, { port: GOSHERVE_PORT, stripPrefix: true });
    this.#ingress.on.ready((event) => this.logger.info(`ingress ready at ${event.url}`));
    this.#ingress.on.revoked(() => this.logger.info('ingress revoked'));
    // Holistic, on the events that change the workload (not through `reconcile()`, which would
    // also run on every relation and secret hook, where there is nothing to do).
    const reconcile = (event: HookEvent) => this.#reconcile(event);
    this.on.install(reconcile);
    this.on.upgradeCharm(reconcile);
    this.on.configChanged(reconcile);
    this.on.start(reconcile);
    this.on.leaderElected(reconcile);
    this.on.updateStatus(reconcile);
    this.on.pebbleReady('gosherve', reconcile);
    this.on.storageAttached('webroot', reconcile);
    this.on.action('pull-site', (event) => this.#pullSite(event));
    this.on.collectUnitStatus((event) => this.#collectStatus(event));
  }

  async #reconcile(event: HookEvent): Promise<void> {
    const config = await this.config();
    if (configProblem(config)) return;
    const webroot = await this.#webroot();
    if (webroot) await this.#ensureSite(webroot, config['site-url']);
    if (webroot && (await this.#canConnect())) await this.#runGosherve(event, config);
  }

  /**
   * A webroot without a site gets one: the page the original charm left there (a refresh from
   * it), else what site-url holds, fetched as the original did on install. A failed fetch
   * leaves a placeholder and a status saying how to retry; it never fails the hook.
   */
  async #ensureSite(webroot: Webroot, url: string): Promise<void> {
    if ((await webroot.current()) !== undefined) return;
    if (await webroot.adoptOriginal()) {
      await this.model.log(
        'INFO',
        `serving ${webroot.root}/index.html, left by the original charm, until a site is pulled`,
      );
      return;
    }
    await this.unit.setStatus(Status.maintenance(FETCHING));
    try {
      const site = await pullSite(webroot, { url, timeoutMs: INSTALL_FETCH_TIMEOUT_MS });
      this.#stored.fetchProblem = '';
      await this.model.log('INFO', `fetched the site from ${redact(url)} (${site.kind})`);
    } catch (error) {
      await webroot.ensureSite();
      this.#stored.fetchProblem = siteFailure(error, webroot);
      await this.model.log('WARNING', `cannot fetch the site: ${this.#stored.fetchProblem}`);
    }
  }

  /**
   * Applies the layer (restarting gosherve only when it changed) and opens the port; then the
   * ingress request is published again, now saying the port is open (`is_port_open`).
   */
  async #runGosherve(event: HookEvent, config: Config): Promise<void> {
    const pebble = await this.unit.container('gosherve').pebble();
    let outcome: string;
    try {
      outcome = await applyLayer(pebble, gosherveLayer(config['redirect-map']));
    } catch (error) {
      // gosherve exits at once when it cannot fetch the redirect map: Pebble's start fails.
      // That is the workload's state, reported by collect-status, not a reason to fail the hook.
      if (!isChangeError(error)) throw error;
      outcome = 'failed to start';
      await this.model.log('WARNING', `gosherve did not start: ${error.message}`);
    }
    if (outcome !== 'unchanged') await this.model.log('INFO', `gosherve layer: ${outcome}`);
    // Juju keeps opened ports: checking them (a tool call) on every hook would be waste.
    if (outcome !== 'unchanged' || event.kind === 'install' || event.kind === 'upgrade-charm') {
      await this.unit.setPorts([GOSHERVE_PORT]);
      await this.#ingress.provideIngressRequirements({ port: GOSHERVE_PORT, isPortOpen: true });
    }
  }

  async #pullSite(event: ActionEvent<Actions['pull-site']>): Promise<void> {
    const config = await this.config();
    const problem = urlProblem('site-url', config['site-url']);
    if (problem) return event.fail(problem);
    if (!(event.params.timeout > 0))
      return event.fail('timeout must be a number of seconds above 0');
    const webroot = await this.#webroot();
    if (!webroot) return event.fail('the webroot storage is not attached yet: try again shortly');
    await this.unit.setStatus(Status.maintenance(FETCHING));
    try {
      const site = await pullSite(webroot, {
        url: config['site-url'],
        timeoutMs: event.params.timeout * 1000,
        progress: (message) => event.log(message),
      });
      this.#stored.fetchProblem = '';
      await event.setResults({
        result: 'site pulled',
        kind: site.kind,
        files: site.files,
        bytes: site.bytes,
        release: site.release,
        url: redact(config['site-url']),
      });
    } catch (error) {
      // Webroot.install removes what it wrote, and the site link moves last: the site stands.
      await event.fail(`${siteFailure(error, webroot)} (the current site is unchanged)`);
    }
  }

  async #collectStatus(event: CollectStatusEvent): Promise<void> {
    const problem = configProblem(await this.config());
    if (problem) return event.addStatus(Status.blocked(problem));
    const webroot = await this.#webroot();
    if (!webroot) return event.addStatus(Status.waiting('waiting for the webroot storage'));
    if (!(await this.#canConnect())) return event.addStatus(Status.waiting(WAITING_FOR_PEBBLE));
    const notServing = await workloadStatus(await this.unit.container('gosherve').pebble());
    if (notServing) return event.addStatus(notServing);
    const parts: string[] = [];
    const site = await webroot.current();
    if (site === PLACEHOLDER && this.#stored.fetchProblem) {
      parts.push(`no site: ${this.#stored.fetchProblem}; run the pull-site action to retry`);
    } else if (site === PLACEHOLDER) {
      parts.push('no site yet: run the pull-site action');
    } else if (site === ORIGINAL) {
      parts.push("serving the original charm's index.html: run pull-site for site-url");
    }
    // The ingress library's state: the URL traefik granted, and why its answer could not be
    // read (no relation-get here: the library read it on the hook that brought it).
    const ingress = this.#ingress;
    if (ingress.url) parts.push(`ingress at ${ingress.url}`);
    if (ingress.problem) parts.push(`ingress answer unreadable: ${ingress.problem}`);
    event.addStatus(Status.active(parts.join('; ')));
  }

  #webroot(): Promise<Webroot | undefined> {
    return this.#once('webroot', async () => {
      const [instance] = await this.model.storage('webroot');
      return instance ? new Webroot((await instance.info()).location) : undefined;
    });
  }

  #canConnect(): Promise<boolean> {
    return this.#once('can-connect', () => this.unit.container('gosherve').canConnect());
  }

  /** Each fact is read once per dispatch: every hook-tool call is a process. */
  #once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.#memo.get(key);
    if (!value) {
      value = read();
      this.#memo.set(key, value);
    }
    return value as Promise<T>;
  }
}

/** The first config problem (an option that is not an http(s) URL), or undefined. */
export function configProblem(config: Config): string | undefined {
  return (
    urlProblem('redirect-map', config['redirect-map']) ?? urlProblem('site-url', config['site-url'])
  );
}

/** Why a site could not be pulled: the SiteError's message, or the write that failed. */
function siteFailure(error: unknown, webroot: Webroot): string {
  if (error instanceof SiteError) return error.message;
  return `cannot write the site into ${webroot.root}: ${(error as Error).message}`;
}
