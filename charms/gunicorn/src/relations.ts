/**
 * The charm's relations, through `@charm-ts/relations`' libraries: `DatabaseRequirer` on `pg`
 * (it asks for the database and says when it is created), `IngressRequirer` on `ingress` (the
 * charm gives it the port from config), `PrometheusScrapeProvider` on `metrics-endpoint` (the
 * exporter's job, published on its own hooks). What the charm reads of them, and of every other
 * related application's data, is the template context built here.
 * @module
 */
import {
  type LibraryParent,
  type Model,
  ModelError,
  type Relation,
  RelationDataError,
} from '@charm-ts/ops';
import {
  DatabaseRequirer,
  IngressRequirer,
  PrometheusScrapeProvider,
  RelationDataError as WireDataError,
} from '@charm-ts/relations';
import type { Config, Endpoint } from './charmcraft.generated.ts';
import { passwordForms, pgContext } from './context.ts';
import type { TemplateContext } from './environment.ts';
import { EXPORTER_PORT } from './workload.ts';

/** The endpoints whose data templates see, sorted. */
export const ENDPOINTS: readonly Endpoint[] = ['influxdb', 'ingress', 'metrics-endpoint', 'pg'];

/** What the relations hold, for the template and the statuses. */
export interface RelationsView {
  /** The endpoints with a live relation. */
  readonly related: ReadonlySet<string>;
  /** The template context: `pg`, and each other endpoint's remote data. */
  readonly context: TemplateContext;
  /** Values never to show (the database password, in every form it takes). */
  readonly secrets: readonly string[];
  /** Relation data that could not be read, as messages naming the relation, bag and key. */
  readonly problems: readonly string[];
  /** Things worth a log line (a secret not readable yet); never a secret's content. */
  readonly notes: readonly string[];
}

/** What the charm is to its libraries: their parent, with its model. */
export interface RelationsCharm extends LibraryParent {
  readonly model: Model<Config, Endpoint, 'gunicorn', never>;
}

/** The charm's relation libraries, and the template context read from them. */
export class Relations {
  /** `pg`: `DatabaseRequires(database_name=<app>)`, as the original asked. */
  readonly database: DatabaseRequirer;
  /** `ingress`: `IngressPerAppRequirer(strip_prefix=True)`, the port given by the charm. */
  readonly ingress: IngressRequirer;
  /** `metrics-endpoint`: the exporter on each unit (`*:9102`), where the original said `*:80`. */
  readonly metrics: PrometheusScrapeProvider;
  readonly #model: RelationsCharm['model'];

  constructor(charm: RelationsCharm) {
    this.#model = charm.model;
    this.database = new DatabaseRequirer(charm, { endpoint: 'pg', database: charm.model.app.name });
    this.ingress = new IngressRequirer(charm, { stripPrefix: true });
    this.metrics = new PrometheusScrapeProvider(charm, {
      jobs: [{ static_configs: [{ targets: [`*:${EXPORTER_PORT}`] }] }],
    });
  }

  /** Publishes what depends on config: the port ingress routes to (open on the unit). */
  async publish(port: number): Promise<void> {
    await this.ingress.provideIngressRequirements({ port, isPortOpen: true });
  }

  /**
   * Reads every relation into the template context. `pg` is there once the database library
   * has the provider's answer with credentials (from its secret, or in clear) and an endpoint.
   * Every other endpoint has its remote application's data, overlaid with its first remote
   * unit's (by name), as the original merged it; `ingress` also has `url`, the URL the ingress
   * library was granted.
   */
  async read(): Promise<RelationsView> {
    const related = new Set<string>();
    const context: Record<string, Record<string, string>> = {};
    const secrets: string[] = [];
    const problems: string[] = [];
    const notes: string[] = [];
    for (const endpoint of ENDPOINTS) {
      const [relation] = await this.#live(endpoint);
      if (!relation) continue;
      related.add(endpoint);
      try {
        if (endpoint === 'pg') {
          const answer = await this.database.fetchRelationData(relation);
          const pg = answer && pgContext(answer, this.database.request.database);
          if (pg) {
            secrets.push(...passwordForms(pg.password));
            context.pg = pg;
          }
          continue;
        }
        const appBag = await relation.remoteAppData();
        const [first] = (await relation.units()).sort();
        const unitBag = first ? await relation.remoteUnitData(first) : {};
        const entry: Record<string, string> = { ...appBag, ...unitBag };
        if (endpoint === 'ingress' && this.ingress.url) entry.url = this.ingress.url;
        if (Object.keys(entry).length > 0) context[endpoint] = entry;
      } catch (error) {
        if (error instanceof RelationDataError || error instanceof WireDataError) {
          problems.push(error.message);
        }
        // A secret not granted (yet) or gone: the answer is not complete; a later hook reads it.
        else if (error instanceof ModelError) notes.push(`${endpoint}: ${error.message}`);
        else throw error;
      }
    }
    return { related, context, secrets, problems, notes };
  }

  /** The relations of `endpoint` (ops' model leaves out the one being broken). */
  #live(endpoint: Endpoint): Promise<Relation[]> {
    return this.#model.relations(endpoint);
  }
}
