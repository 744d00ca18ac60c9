/**
 * The charm's relations, on `@charm-ts/relations`: what it writes (the database request, the
 * ingress request, the scrape job) and what it reads (the database answer and every related
 * application's data, as the template context). All of the charm's use of the relation
 * libraries is here, so that moving to library events later changes this module only.
 * @module
 */
import { type Model, ModelError, type Relation } from '@charm-ts/ops';
import {
  bagChanges,
  type DataBag,
  type DatabaseSecrets,
  databaseRequirerAppBag,
  databaseRequirerUnitBag,
  databaseSecretLabel,
  databaseSecretRefs,
  ingressRequirerAppBag,
  ingressRequirerUnitBag,
  ingressUnitHost,
  prometheusScrapeProviderAppBag,
  prometheusScrapeProviderUnitBag,
  RelationDataError,
  readDatabaseProviderAppBag,
  readIngressProviderAppBag,
} from '@charm-ts/relations';
import type { Config, Endpoint } from './charmcraft.generated.ts';
import { passwordForms, pgContext } from './context.ts';
import type { TemplateContext } from './environment.ts';
import { EXPORTER_PORT } from './workload.ts';

/** The endpoints whose data templates see, sorted. */
export const ENDPOINTS: readonly Endpoint[] = ['influxdb', 'ingress', 'metrics-endpoint', 'pg'];

/** What the charm needs of the model: the charm's own `this.model`. */
export type CharmModel = Model<Config, Endpoint, 'gunicorn', never>;

/** What the relations hold, for the template and the statuses. */
export interface RelationsView {
  /** The endpoints with a live relation. */
  readonly related: ReadonlySet<string>;
  /** The template context: `pg`, and each other endpoint's remote data. */
  readonly context: TemplateContext;
  /** Values never to show (the database password, in every form it takes). */
  readonly secrets: readonly string[];
  /** Relation data that could not be read, as messages naming the bag and key. */
  readonly problems: readonly string[];
  /** Things worth a log line (a secret not readable yet); never a secret's content. */
  readonly notes: readonly string[];
}

/** Facts a dispatch knows about this unit. */
export interface Unit {
  readonly leader: boolean;
  /** The app's port, and whether it is open on the unit. */
  readonly port: number;
  readonly portOpen: boolean;
  /** The charm's name (metadata), for the scrape topology. */
  readonly charmName: string;
  /** The relation a relation-broken hook is about: it is gone. */
  readonly broken?: number | undefined;
}

/** The live relations on `endpoint` (the one being broken left out). */
async function live(model: CharmModel, endpoint: Endpoint, unit: Unit): Promise<Relation[]> {
  return (await model.relations(endpoint)).filter((r) => r.id !== unit.broken);
}

/** Writes what this unit (and, as leader, the application) tells each related application. */
export async function publishRelations(model: CharmModel, unit: Unit): Promise<void> {
  for (const relation of await live(model, 'pg', unit)) {
    if (!unit.leader) continue;
    // The application's name is the database's, as the original asked.
    const request = { database: model.app.name };
    await writeWhole(await relation.localAppData(), databaseRequirerAppBag(request), (d) =>
      relation.setAppData(d),
    );
    await writeWhole(await relation.localUnitData(), databaseRequirerUnitBag(request), (d) =>
      relation.setUnitData(d),
    );
  }
  for (const relation of await live(model, 'ingress', unit)) {
    const ip = await bindAddress(model, 'ingress', relation);
    await writeWhole(
      await relation.localUnitData(),
      ingressRequirerUnitBag({
        host: ingressUnitHost(model.unit.name, model.name),
        ...(ip && { ip }),
      }),
      (d) => relation.setUnitData(d),
    );
    if (!unit.leader) continue;
    const appBag = ingressRequirerAppBag({
      model: model.name,
      name: model.app.name,
      port: unit.port,
      stripPrefix: true,
      isPortOpen: unit.portOpen,
    });
    await writeWhole(await relation.localAppData(), appBag, (d) => relation.setAppData(d));
  }
  for (const relation of await live(model, 'metrics-endpoint', unit)) {
    const address = await bindAddress(model, 'metrics-endpoint', relation);
    if (address) {
      await writeWhole(
        await relation.localUnitData(),
        prometheusScrapeProviderUnitBag({
          unit: model.unit.name,
          address,
          fqdn: ingressUnitHost(model.unit.name, model.name),
        }),
        (d) => relation.setUnitData(d),
      );
    }
    if (!unit.leader) continue;
    const appBag = prometheusScrapeProviderAppBag({
      topology: {
        model: model.name,
        modelUuid: model.uuid,
        application: model.app.name,
        unit: model.unit.name,
        charmName: unit.charmName,
      },
      // The exporter's port on each unit: the original announced *:80, where nothing listens.
      jobs: [{ static_configs: [{ targets: [`*:${EXPORTER_PORT}`] }] }],
    });
    await writeWhole(await relation.localAppData(), appBag, (d) => relation.setAppData(d));
  }
}

/**
 * Reads every relation into the template context. `pg` is there once PostgreSQL answered with
 * credentials (from its secret, or in clear) and an endpoint. Every other endpoint has its
 * remote application's data, overlaid with its first remote unit's (by name), as the original
 * merged it; `ingress` also has `url`, the provider's answer.
 */
export async function readRelations(model: CharmModel, unit: Unit): Promise<RelationsView> {
  const related = new Set<string>();
  const context: Record<string, Record<string, string>> = {};
  const secrets: string[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  for (const endpoint of ENDPOINTS) {
    const [relation] = await live(model, endpoint, unit);
    if (!relation) continue;
    related.add(endpoint);
    const appBag = await relation.remoteAppData();
    try {
      if (endpoint === 'pg') {
        const pg = await readPg(model, relation, appBag);
        if (pg) {
          secrets.push(...passwordForms(pg.password));
          context.pg = pg;
        }
        continue;
      }
      const [first] = (await relation.units()).sort();
      const unitBag = first ? await relation.remoteUnitData(first) : {};
      const entry: Record<string, string> = { ...appBag, ...unitBag };
      if (endpoint === 'ingress') {
        const answer = readIngressProviderAppBag(appBag);
        if (answer) entry.url = answer.url;
      }
      if (Object.keys(entry).length > 0) context[endpoint] = entry;
    } catch (error) {
      if (error instanceof RelationDataError) problems.push(error.message);
      // A secret not granted (yet) or gone: the answer is not complete; a later hook reads it.
      else if (error instanceof ModelError) notes.push(`${endpoint}: ${error.message}`);
      else throw error;
    }
  }
  return { related, context, secrets, problems, notes };
}

/** The `pg` context from PostgreSQL's answer, reading the secrets it names; undefined until ready. */
async function readPg(model: CharmModel, relation: Relation, bag: DataBag) {
  const secrets: DatabaseSecrets = {};
  for (const [group, id] of Object.entries(databaseSecretRefs(bag))) {
    const label = databaseSecretLabel(relation.endpoint, relation.id, group as never);
    // Tracks the latest revision: a rotated password reaches the workload on secret-changed.
    secrets[group as keyof DatabaseSecrets] = await model
      .getSecret({ id, label })
      .get({ refresh: true });
  }
  const answer = readDatabaseProviderAppBag(bag, secrets);
  return answer && pgContext(answer, model.app.name);
}

/** The endpoint's bind address on `relation` (`network-get`), when Juju gives one. */
async function bindAddress(
  model: CharmModel,
  endpoint: Endpoint,
  relation: Relation,
): Promise<string | undefined> {
  const network = await model.network(endpoint, relation);
  return network.bindAddresses[0]?.addresses[0]?.value;
}

/** One `relation-set` of what differs (stale keys deleted); none when the bag is already `want`. */
async function writeWhole(
  have: DataBag,
  want: DataBag,
  write: (changes: Record<string, string>) => Promise<void>,
): Promise<void> {
  const changes = bagChanges(have, want);
  if (Object.keys(changes).length > 0) await write(changes);
}
