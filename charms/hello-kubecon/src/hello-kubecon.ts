/**
 * The hello-kubecon charm: gosherve serving a site from the `webroot` storage, a `pull-site`
 * action that replaces the site atomically, and ingress v2. Holistic: one handler brings the
 * unit to what config and relations ask on each event it observes; collect-status reports.
 * @module
 */
import {
  type ActionEvent,
  Charm,
  type CollectStatusEvent,
  type Framework,
  type HookEvent,
  type Relation,
  Status,
} from '@charm-ts/ops';
import type { Actions, Config, Types } from './charmcraft.generated.ts';
import { SiteError } from './errors.ts';
import {
  type IngressAnswer,
  parseProviderData,
  requirerAppData,
  requirerUnitData,
  unitHost,
} from './ingress.ts';
import { pullSite } from './site/pull-site.ts';
import { PLACEHOLDER, Webroot } from './site/webroot.ts';
import { redact, urlProblem } from './urls.ts';
import { applyLayer, GOSHERVE_PORT, gosherveLayer, SERVICE } from './workload.ts';

/** Status texts kept verbatim from the original charm. */
export const WAITING_FOR_PEBBLE = 'waiting for Pebble in workload container';
export const FETCHING = 'Fetching web site';

/** gosherve, its site and its ingress. */
export class HelloKubeconCharm extends Charm<Types> {
  readonly #memo = new Map<string, Promise<unknown>>();

  constructor(framework: Framework) {
    super(framework);
    // Holistic, but not through `reconcile()`: @charm-ts/ops runs that on every hook, and it
    // throws before any handler on a relation-changed caused by the remote *application* bag
    // (JUJU_REMOTE_UNIT is empty then, as Juju sets it). Nothing here needs relation-changed:
    // the provider's answer is read by collect-status, which runs after every dispatch.
    const reconcile = (event: HookEvent) => this.#reconcile(event);
    this.on.install(reconcile);
    this.on.upgradeCharm(reconcile);
    this.on.configChanged(reconcile);
    this.on.start(reconcile);
    this.on.leaderElected(reconcile);
    this.on.updateStatus(reconcile);
    this.on.pebbleReady('gosherve', reconcile);
    this.on.storageAttached('webroot', reconcile);
    this.on.relationCreated('ingress', reconcile);
    this.on.relationJoined('ingress', reconcile);
    this.on.relationBroken('ingress', reconcile);
    this.on.action('pull-site', (event) => this.#pullSite(event));
    this.on.collectUnitStatus((event) => this.#collectStatus(event));
  }

  async #reconcile(event: HookEvent): Promise<void> {
    const config = await this.config();
    if (configProblem(config)) return;
    const webroot = await this.#webroot();
    if (webroot) await webroot.ensureSite();
    await this.#publishIngress(event);
    if (!webroot || !(await this.#canConnect())) return;
    const pebble = await this.unit.container('gosherve').pebble();
    const outcome = await applyLayer(pebble, gosherveLayer(config['redirect-map']));
    if (outcome !== 'unchanged') await this.model.log('INFO', `gosherve layer: ${outcome}`);
    // Juju keeps opened ports: checking them (a tool call) on every hook would be waste.
    if (outcome !== 'unchanged' || event.kind === 'install' || event.kind === 'upgrade-charm') {
      await this.unit.setPorts([GOSHERVE_PORT]);
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
      await event.setResults({
        result: 'site pulled',
        files: site.files,
        bytes: site.bytes,
        release: site.release,
        url: redact(config['site-url']),
      });
    } catch (error) {
      // Webroot.install removes what it wrote, and the site link moves last: the site stands.
      const why =
        error instanceof SiteError
          ? error.message
          : `cannot write the site into ${webroot.root}: ${(error as Error).message}`;
      await event.fail(`${why} (the current site is unchanged)`);
    }
  }

  async #collectStatus(event: CollectStatusEvent): Promise<void> {
    const problem = configProblem(await this.config());
    if (problem) return event.addStatus(Status.blocked(problem));
    const webroot = await this.#webroot();
    if (!webroot) return event.addStatus(Status.waiting('waiting for the webroot storage'));
    if (!(await this.#canConnect())) return event.addStatus(Status.waiting(WAITING_FOR_PEBBLE));
    const pebble = await this.unit.container('gosherve').pebble();
    const [service] = await pebble.listServices({ names: [SERVICE] });
    if (service && service.current !== 'active') {
      return event.addStatus(
        Status.waiting(
          `gosherve is ${service.current}: check that redirect-map answers (pebble logs gosherve)`,
        ),
      );
    }
    const parts: string[] = [];
    if ((await webroot.current()) === PLACEHOLDER)
      parts.push('no site yet: run the pull-site action');
    const ingress = await this.#ingressAnswer();
    if (ingress?.state === 'ready') parts.push(`ingress at ${ingress.url}`);
    if (ingress?.state === 'invalid') parts.push(`ingress data unreadable: ${ingress.problem}`);
    event.addStatus(Status.active(parts.join('; ')));
  }

  /** Publishes this unit's (and, as leader, the app's) ingress request; skips a dying relation. */
  async #publishIngress(event: HookEvent): Promise<void> {
    const relation = await this.#ingressRelation();
    if (!relation) return;
    if (event.kind === 'relation-broken' && event.relation.id === relation.id) return;
    const model = this.model.name;
    const network = await this.model.network('ingress', relation);
    const ip = network.bindAddresses[0]?.addresses[0]?.value;
    await setChanged(
      await relation.localUnitData(),
      requirerUnitData(unitHost(this.unit.name, model), ip),
      (data) => relation.setUnitData(data),
    );
    if (!(await this.unit.isLeader())) return;
    const want = requirerAppData({ app: this.app.name, model, port: GOSHERVE_PORT });
    await setChanged(await relation.localAppData(), want, (data) => relation.setAppData(data));
  }

  #ingressRelation(): Promise<Relation | undefined> {
    return this.#once('ingress-relation', () => this.model.relation('ingress'));
  }

  #ingressAnswer(): Promise<IngressAnswer | undefined> {
    return this.#once('ingress-answer', async () => {
      const relation = await this.#ingressRelation();
      if (!relation) return undefined;
      try {
        return parseProviderData(await relation.remoteAppData());
      } catch {
        // The relation is going away (relation-broken): there is no answer to show.
        return undefined;
      }
    });
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

/** Writes only the keys whose values differ (one relation-set at most, none when equal). */
async function setChanged(
  have: Readonly<Record<string, string>>,
  want: Readonly<Record<string, string>>,
  write: (data: Record<string, string>) => Promise<void>,
): Promise<void> {
  const changed = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  if (Object.keys(changed).length > 0) await write(changed);
}
