/**
 * @charm-ts/relations: relation libraries for charm-ts charms, the role Canonical's charm
 * libraries play for Python charms. One module per interface, in two layers: the libraries
 * (`Library` subclasses of @charm-ts/ops with events of their own and stored state:
 * `IngressRequirer`, `DatabaseRequirer`, `DatabaseProvider`, `PrometheusScrapeProvider`), over
 * the wire functions that build the bags a side writes and read the other side's, byte for byte
 * as the Python library does (each proven against that library).
 *
 * - Shared: `DataBag`, `bagChanges` (write a bag whole), `pythonJson` (`json.dumps`'s
 *   encoding), `RelationDataError` (names the interface, bag and key), `bagSchema` (a reader as
 *   a Standard Schema, for `Relation.load`).
 * - ingress v2 (`charms.traefik_k8s.v2.ingress`, LIBPATCH 21): requirer and provider sides.
 * - database, as `postgresql_client` speaks it (`charms.data_platform_libs.v0.data_interfaces`,
 *   LIBPATCH 59): requirer and provider sides, credentials in a Juju secret or in clear.
 * - prometheus_scrape (`charms.prometheus_k8s.v0.prometheus_scrape`, LIBPATCH 56): the
 *   provider side a workload charm speaks.
 * @module
 */

export type { DataBag } from './bag.ts';
export { bagChanges, JUJU_KEYS } from './bag.ts';
export {
  databaseProviderAppBag,
  databaseProviderSecrets,
  readDatabaseRequirerAppBag,
} from './database/provider.ts';
// database (postgresql_client)
export type {
  DatabaseProviderEvents,
  DatabaseProviderOptions,
} from './database/provider-library.ts';
export { DatabaseProvider } from './database/provider-library.ts';
export {
  databaseRequirerAppBag,
  databaseRequirerUnitBag,
  databaseSecretRefs,
  readDatabaseProviderAppBag,
} from './database/requirer.ts';
export type {
  DatabaseRequirerEvents,
  DatabaseRequirerOptions,
} from './database/requirer-library.ts';
export { DatabaseRequirer } from './database/requirer-library.ts';
export type {
  DatabaseAnswer,
  DatabaseAnswerData,
  DatabaseEndpoint,
  DatabaseRequest,
  DatabaseRequestRead,
  DatabaseSecretGroup,
  DatabaseSecrets,
} from './database/schema.ts';
export {
  DATABASE_REQUESTED_SECRETS,
  databaseSecretGroup,
  databaseSecretKey,
  databaseSecretLabel,
  formatDatabaseEndpoints,
  POSTGRESQL_CLIENT_INTERFACE,
  parseDatabaseEndpoints,
} from './database/schema.ts';
export type { RelationDataErrorCode, RelationDataErrorOptions } from './errors.ts';
export { RelationDataError } from './errors.ts';
// grafana_dashboard
export { convertDashboardFields } from './grafana-dashboard/convert.ts';
export type {
  GrafanaDashboardRequirerEvents,
  GrafanaDashboardRequirerOptions,
} from './grafana-dashboard/library.ts';
export { GrafanaDashboardRequirer } from './grafana-dashboard/library.ts';
export type { DashboardStatus, ProvidedDashboard } from './grafana-dashboard/provider.ts';
export {
  dashboardAltUid,
  dashboardPath40Uid,
  grafanaDashboardProviderAppBag,
  readGrafanaDashboardEventBag,
} from './grafana-dashboard/provider.ts';
export type { GrafanaDashboardsRead } from './grafana-dashboard/requirer.ts';
export {
  grafanaDashboardEventBag,
  readGrafanaDashboardAppBag,
  readGrafanaDashboards,
  renderDashboard,
} from './grafana-dashboard/requirer.ts';
export type {
  DashboardError,
  DashboardTemplate,
  GrafanaDashboard,
  GrafanaDashboardRelationView,
} from './grafana-dashboard/schema.ts';
export { GRAFANA_DASHBOARD_INTERFACE } from './grafana-dashboard/schema.ts';
export {
  DashboardContentError,
  decodeLzmaBase64,
  decodeXz,
  MAX_DASHBOARD_BYTES,
} from './grafana-dashboard/xz.ts';
export { xzStore } from './grafana-dashboard/xz-store.ts';
export type {
  GrafanaSourceProviderEvents,
  GrafanaSourceProviderOptions,
  GrafanaSourceRequirerEvents,
  GrafanaSourceRequirerOptions,
  GrafanaSourcesState,
} from './grafana-datasource/library.ts';
export { GrafanaSourceProvider, GrafanaSourceRequirer } from './grafana-datasource/library.ts';
// grafana_datasource
export {
  grafanaSourceProviderAppBag,
  grafanaSourceProviderUnitBag,
  readGrafanaSourceAnswerBag,
} from './grafana-datasource/provider.ts';
export type { GrafanaSourcesRead, LegacySourceRead } from './grafana-datasource/requirer.ts';
export {
  grafanaSourceAnswerBag,
  grafanaSourcesOf,
  readGrafanaSourceAppBag,
  readGrafanaSources,
  readLegacySourceUnitBag,
} from './grafana-datasource/requirer.ts';
export type {
  GrafanaSource,
  GrafanaSourceAnswer,
  GrafanaSourceData,
  GrafanaSourceFormat,
  GrafanaSourceRelationView,
} from './grafana-datasource/schema.ts';
export { GRAFANA_DATASOURCE_INTERFACE } from './grafana-datasource/schema.ts';
// ingress v2
export {
  ingressProviderAppBag,
  readIngressRequirerAppBag,
  readIngressRequirerUnitBag,
} from './ingress/provider.ts';
export {
  ingressRequirerAppBag,
  ingressRequirerUnitBag,
  readIngressProviderAppBag,
} from './ingress/requirer.ts';
export type {
  IngressAnswer,
  IngressRequirements,
  IngressRequirerEvents,
  IngressRequirerOptions,
} from './ingress/requirer-library.ts';
export { IngressRequirer } from './ingress/requirer-library.ts';
export type {
  IngressHealthcheck,
  IngressRequest,
  IngressRequirerAppData,
  IngressRequirerUnitData,
  IngressScheme,
  IngressUrl,
} from './ingress/schema.ts';
export { INGRESS_INTERFACE, INGRESS_SCHEMES, ingressUnitHost } from './ingress/schema.ts';
export type { JsonValue } from './json.ts';
export { pythonJson } from './json.ts';
// prometheus_scrape
export type {
  JujuTopology,
  ScrapeJob,
  ScrapeProviderAppData,
  ScrapeProviderUnitData,
  ScrapeStaticConfig,
} from './prometheus-scrape/provider.ts';
export {
  PROMETHEUS_SCRAPE_INTERFACE,
  prometheusScrapeProviderAppBag,
  prometheusScrapeProviderUnitBag,
  SCRAPE_JOB_KEYS,
  sanitizeScrapeJob,
} from './prometheus-scrape/provider.ts';
export type {
  PrometheusScrapeProviderEvents,
  PrometheusScrapeProviderOptions,
  ScrapeJobsSource,
} from './prometheus-scrape/provider-library.ts';
export { PrometheusScrapeProvider } from './prometheus-scrape/provider-library.ts';
export { bagSchema, RelationLibrary } from './relation-library.ts';
