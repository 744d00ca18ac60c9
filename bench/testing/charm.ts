/**
 * The two-container charm of the testing benchmark (the same charm as charm.py).
 * benchmark: start order, relation data, an action, stored state, statuses.
 * @module
 */
import { type ActionEvent, Charm, type Framework, type RelationEvent, Status } from '@charm-ts/ops';

interface Types {
  config: { port: number; greeting?: string };
  actions: { ping: { target: string } };
  endpoints: 'website' | 'cluster';
  containers: 'redis' | 'web';
  storages: 'data';
}

/** redis first, then the web app; `active` once both run. */
export class TwoContainersCharm extends Charm<Types> {
  constructor(framework: Framework) {
    super(framework);
    this.on.relationChanged('website', (event) => this.#shareWebsite(event));
    this.on.action('ping', (event) => this.#ping(event));
  }

  override async reconcile(): Promise<void> {
    const stored = this.storedState({ reconciles: 0 });
    stored.reconciles += 1;
    const config = await this.config();
    const redis = this.unit.container('redis');
    if (!(await redis.canConnect())) {
      this.addStatus(Status.waiting('waiting for the redis container'));
      return;
    }
    await redis.applyLayer('redis', {
      services: { redis: { override: 'replace', command: 'redis-server', startup: 'enabled' } },
    });
    const web = this.unit.container('web');
    if (!(await web.canConnect())) {
      this.addStatus(Status.waiting('waiting for the web container'));
      return;
    }
    await web.applyLayer('web', {
      services: {
        web: {
          override: 'replace',
          command: `web --port ${config.port}`,
          startup: 'enabled',
          environment: { GREETING: config.greeting ?? 'hello' },
        },
      },
    });
    await this.unit.setWorkloadVersion('7.2');
    await this.unit.openPort({ protocol: 'tcp', port: config.port });
    this.addStatus(Status.active());
  }

  async #shareWebsite(event: RelationEvent<'website'>): Promise<void> {
    const config = await this.config();
    await event.relation.setUnitData({ hostname: 'two-containers-0', port: String(config.port) });
    if (await this.unit.isLeader()) await event.relation.setAppData({ port: String(config.port) });
  }

  async #ping(event: ActionEvent<{ target: string }>): Promise<void> {
    const container = this.unit.container(event.params.target === 'web' ? 'web' : 'redis');
    await event.log(`pinging ${event.params.target}`);
    const pebble = await container.pebble();
    const process = await pebble.exec(['redis-cli', 'ping']);
    try {
      const { stdout } = await process.waitOutput();
      await event.setResults({ reply: stdout.trim() });
    } catch (error) {
      await event.fail(`ping failed: ${(error as Error).message}`);
    }
  }
}
