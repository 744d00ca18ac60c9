/**
 * Grafana's side of `pgsql` (postgresql_client) and `metrics-endpoint` (prometheus_scrape), on
 * the same `@charm-ts/relations` functions the gunicorn charm uses: the database request, the
 * answer (credentials from the provider's Juju secret, or in clear) turned into Grafana's
 * `[database]`, and the scrape job for Grafana's own `/metrics`.
 * @module
 */
import type { Model, Relation } from '@charm-ts/ops';
import {
  bagChanges,
  type DataBag,
  type DatabaseSecrets,
  databaseRequirerAppBag,
  databaseRequirerUnitBag,
  databaseSecretLabel,
  databaseSecretRefs,
  ingressUnitHost,
  prometheusScrapeProviderAppBag,
  prometheusScrapeProviderUnitBag,
  readDatabaseProviderAppBag,
} from '@charm-ts/relations';
import type { Config, ContainerName, Endpoint, StorageName } from './charmcraft.generated.ts';
import type { DatabaseConfig } from './workload.ts';

type GrafanaModel = Model<Config, Endpoint, ContainerName, StorageName>;

/** The database asked of PostgreSQL: one per Grafana application and model. */
export function databaseName(app: string, modelUuid: string): string {
  return `${app}-grafana-${modelUuid}`;
}

/** As leader, asks for the database (the requirer's bags, written whole; only what differs). */
export async function requestDatabase(model: GrafanaModel, relation: Relation): Promise<void> {
  if (!(await model.unit.isLeader())) return;
  const request = { database: databaseName(model.app.name, model.uuid) };
  await writeWhole(await relation.localAppData(), databaseRequirerAppBag(request), (d) =>
    relation.setAppData(d),
  );
  await writeWhole(await relation.localUnitData(), databaseRequirerUnitBag(request), (d) =>
    relation.setUnitData(d),
  );
}

/**
 * Grafana's `[database]` from PostgreSQL's answer, once it has credentials and an endpoint;
 * undefined until then. Every unit reads it itself (the secret is granted to the application):
 * no copy of the credentials goes through the peer relation. Throws `RelationDataError` for an
 * answer that cannot be read, and the model's errors for a secret not readable (yet).
 */
export async function postgresConfig(
  model: GrafanaModel,
  relation: Relation,
): Promise<DatabaseConfig | undefined> {
  const bag = await relation.remoteAppData();
  const secrets: DatabaseSecrets = {};
  for (const [group, id] of Object.entries(databaseSecretRefs(bag))) {
    const label = databaseSecretLabel(relation.endpoint, relation.id, group as never);
    secrets[group as keyof DatabaseSecrets] = await model
      .getSecret({ id, label })
      .get({ refresh: true });
  }
  const answer = readDatabaseProviderAppBag(bag, secrets);
  const endpoint = answer?.endpoints[0];
  if (!answer || !endpoint) return undefined;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return {
    type: 'postgres',
    host: `${host}:${endpoint.port ?? 5432}`,
    name: answer.database ?? databaseName(model.app.name, model.uuid),
    user: answer.username,
    password: answer.password,
    sslMode: answer.tls?.toLowerCase() === 'true' ? 'require' : 'disable',
  };
}

/**
 * The scrape job for Grafana's `/metrics` on every unit (`*:<port>`), as the prometheus_scrape
 * library writes it, and this unit's address.
 */
export async function publishScrapeJob(
  model: GrafanaModel,
  relation: Relation,
  port: number,
  charmName: string,
): Promise<void> {
  const network = await model.network('metrics-endpoint', relation);
  const address = network.bindAddresses[0]?.addresses[0]?.value;
  if (address) {
    const unitBag = prometheusScrapeProviderUnitBag({
      unit: model.unit.name,
      address,
      fqdn: ingressUnitHost(model.unit.name, model.name),
    });
    await writeWhole(await relation.localUnitData(), unitBag, (d) => relation.setUnitData(d));
  }
  if (!(await model.unit.isLeader())) return;
  const appBag = prometheusScrapeProviderAppBag({
    topology: {
      model: model.name,
      modelUuid: model.uuid,
      application: model.app.name,
      unit: model.unit.name,
      charmName,
    },
    jobs: [{ metrics_path: '/metrics', static_configs: [{ targets: [`*:${port}`] }] }],
  });
  await writeWhole(await relation.localAppData(), appBag, (d) => relation.setAppData(d));
}

async function writeWhole(
  have: DataBag,
  want: DataBag,
  write: (changes: Record<string, string>) => Promise<void>,
): Promise<void> {
  const changes = bagChanges(have, want);
  if (Object.keys(changes).length > 0) await write(changes);
}
