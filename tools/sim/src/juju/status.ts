/**
 * `juju status --format json|yaml`: the model in Juju 3.6's schema for a Kubernetes model, the
 * shape jubilant's `Status` types read (model, machines, applications with application-status,
 * units with workload-status and juju-status, relations per endpoint). Fields Juju leaves out
 * when empty are left out; fields charm-sim has no value for (a Kubernetes service's id and
 * address, storage) are left out rather than made up.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { charmEndpoints } from '../charm.ts';
import { JUJU_VERSION } from '../hook-env.ts';
import type { AppState, ModelState, Status, UnitState } from '../model.ts';
import { applicationStatus } from '../status-view.ts';
import { statusClock, statusSince } from './times.ts';

/** Juju's status of one thing: `current`, `message` and `since`, each only when set. */
export interface StatusInfo {
  current?: string;
  message?: string;
  since?: string;
  version?: string;
  life?: string;
}

/** What the model section of `status` needs besides the model's state. */
export interface StatusContext {
  readonly model: string;
  readonly controller: string;
  /** When the model was added (RFC 3339). */
  readonly created: string;
  /** The model's state directory (the charms' manifests are read from it). */
  readonly stateDir: string;
  /** Optional: only these applications (or units' applications). */
  readonly selectors?: readonly string[];
}

/** The cloud charm-sim stands for, as `status` and `models` name it. */
export const CLOUD = { cloud: 'charm-sim', region: 'localhost', type: 'kubernetes' } as const;

/** A status in Juju's shape. */
export function statusInfo(status: Status | undefined, extra: StatusInfo = {}): StatusInfo {
  const info: StatusInfo = {};
  if (status?.status) info.current = status.status;
  if (status?.message) info.message = status.message;
  if (status?.since) info.since = statusSince(status.since);
  return { ...info, ...extra };
}

/** `juju status --format json`'s document for `model`. */
export function jujuStatus(model: ModelState, context: StatusContext): Record<string, unknown> {
  const wanted = new Set((context.selectors ?? []).map((s) => s.split('/')[0] as string));
  const applications: Record<string, unknown> = {};
  for (const name of Object.keys(model.apps).sort()) {
    if (wanted.size && !wanted.has(name)) continue;
    applications[name] = appStatus(model, model.apps[name] as AppState, context.stateDir);
  }
  return {
    model: {
      name: context.model,
      type: 'caas',
      controller: context.controller,
      cloud: CLOUD.cloud,
      region: CLOUD.region,
      version: JUJU_VERSION,
      'model-status': statusInfo({ status: 'available', message: '', since: context.created }),
      sla: 'unsupported',
    },
    machines: {},
    applications,
    controller: { timestamp: statusClock() },
  };
}

function appStatus(model: ModelState, app: AppState, stateDir: string): Record<string, unknown> {
  const revision = app.charmRevision - 1; // Juju counts a local charm's revisions from 0.
  const base = charmBase(stateDir, app);
  const relations = appRelations(model, app);
  const units: Record<string, unknown> = {};
  for (const name of [...app.units].sort(byUnitNumber)) {
    const unit = model.units[name];
    if (unit) units[name] = unitStatus(app, unit);
  }
  const endpoints = charmEndpoints(app.charm).map((e) => e.name);
  return {
    charm: `local:${app.charm.name}-${revision}`,
    ...(base ? { base } : {}),
    'charm-origin': 'local',
    'charm-name': app.charm.name,
    'charm-rev': revision,
    scale: app.units.length,
    exposed: false,
    ...(app.dying ? { life: 'dying' } : {}),
    'application-status': statusInfo(applicationStatus(model, app)),
    ...(Object.keys(relations).length ? { relations } : {}),
    ...(Object.keys(units).length ? { units } : {}),
    ...(app.version ? { version: app.version } : {}),
    'endpoint-bindings': Object.fromEntries(
      ['', ...endpoints].map((endpoint) => [endpoint, 'alpha']),
    ),
  };
}

function unitStatus(app: AppState, unit: UnitState): Record<string, unknown> {
  return {
    'workload-status': statusInfo(unit.workloadStatus),
    'juju-status': statusInfo(unit.agentStatus, { version: JUJU_VERSION }),
    ...(unit.dying ? { life: 'dying' } : {}),
    ...(app.leader === unit.name ? { leader: true } : {}),
    address: unit.address,
    'provider-id': unit.name.replace('/', '-'),
    ...(unit.ports.length ? { 'open-ports': [...unit.ports] } : {}),
  };
}

/** The application's relations by its endpoint, as Juju 3.6 lists them. */
function appRelations(model: ModelState, app: AppState): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const rel of Object.values(model.relations)) {
    if (rel.dying) continue;
    const own = rel.endpoints.find((e) => e.app === app.name);
    if (!own) continue;
    const other = rel.endpoints.find((e) => e !== own) ?? own;
    const list = out[own.endpoint] ?? [];
    list.push({ 'related-application': other.app, interface: rel.interface, scope: 'global' });
    out[own.endpoint] = list;
  }
  return out;
}

/** `app/2` before `app/10`. */
export function byUnitNumber(a: string, b: string): number {
  const [appA, numA] = a.split('/');
  const [appB, numB] = b.split('/');
  return appA === appB ? Number(numA) - Number(numB) : (appA ?? '').localeCompare(appB ?? '');
}

/**
 * The first base of the application's charm (its manifest.yaml, as charmcraft writes it), as
 * status shows it: `{ name: 'ubuntu', channel: '22.04' }`; undefined when it has none.
 */
function charmBase(stateDir: string, app: AppState): { name: string; channel: string } | undefined {
  const file = join(stateDir, 'charms', `${app.name}-${app.charmRevision}`, 'manifest.yaml');
  if (!existsSync(file)) return undefined;
  try {
    const manifest = parse(readFileSync(file, 'utf8')) as {
      bases?: { name?: unknown; channel?: unknown }[];
    };
    const first = manifest.bases?.[0];
    if (typeof first?.name !== 'string' || first.channel === undefined) return undefined;
    return { name: first.name, channel: String(first.channel) };
  } catch {
    return undefined;
  }
}
