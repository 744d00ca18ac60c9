/**
 * Layer combination exactly as Pebble computes it (`plan.CombineLayers`): `replace` swaps the
 * whole entry, `merge` overwrites the fields that are set, appends lists (`after`, `before`,
 * `requires`, log-target `services`) and key-merges maps (`environment`, `on-check-failure`,
 * `labels`, http `headers`); check `http`/`tcp`/`exec` are merged field by field. The result
 * of {@link combineLayers} equals what `GET /v1/plan` returns for the same layers.
 * @module
 */
import { LayerValidationError } from './errors.ts';
import { formatGoDuration, parseGoDuration } from './internal/go-duration.ts';
import {
  checkKeys,
  checkTypeKeys,
  type Kind,
  logTargetKeys,
  pointerInts,
  serviceKeys,
  workloadKeys,
} from './internal/layer-schema.ts';
import type { Layer, Plan } from './types.ts';

type Entry = Record<string, unknown>;
type Section = 'services' | 'checks' | 'log-targets' | 'workloads';

const sections: ReadonlyArray<[Section, Record<string, Kind>, string]> = [
  ['services', serviceKeys, 'service'],
  ['checks', checkKeys, 'check'],
  ['log-targets', logTargetKeys, 'log target'],
  ['workloads', workloadKeys, 'workload'],
];

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A deep copy without `undefined`/`null` values (they mean "absent" in a layer literal). */
function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.filter(present).map(clean) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Entry = {};
    for (const [k, v] of Object.entries(value)) if (present(v)) out[k] = clean(v);
    return out as T;
  }
  return value;
}

/** Is this value "set" in Go's sense for the merge (Go zero values are unset)? */
function isSet(key: string, kind: Kind, value: unknown): boolean {
  if (!present(value)) return false;
  switch (kind) {
    case 'int':
      return pointerInts.has(key) || value !== 0;
    case 'duration':
    case 'factor':
      return true;
    default:
      return value !== '';
  }
}

/** Merges the set fields of `other` into `into` (mutates `into`), as Pebble's `Merge` does. */
function mergeEntry(into: Entry, other: Entry, keys: Record<string, Kind>): void {
  for (const [key, value] of Object.entries(other)) {
    const kind = keys[key];
    if (kind === undefined || key === 'override') continue;
    switch (kind) {
      case 'list':
        if (Array.isArray(value)) into[key] = [...((into[key] as string[]) ?? []), ...value];
        break;
      case 'map':
      case 'labels':
      case 'on-check-failure':
        if (present(value)) into[key] = { ...(into[key] as Entry), ...(clean(value) as Entry) };
        break;
      case 'http':
      case 'tcp':
      case 'exec':
        if (present(value)) {
          const sub = (into[key] ?? {}) as Entry;
          mergeEntry(sub, value as Entry, checkTypeKeys[kind]);
          into[key] = sub;
        }
        break;
      default:
        if (isSet(key, kind, value)) into[key] = value;
    }
  }
}

/**
 * Combines layers into one layer, later layers overriding earlier ones, as Pebble does when
 * it combines into an existing label (`addLayer` with `combine: true`): summary and
 * description come from the last layer, and a check `timeout` above its `period` is capped
 * as Pebble caps it (the stored layer keeps the capped value); no other defaults are applied.
 * The inputs are not changed.
 * @throws LayerValidationError when an entry has no valid `override`.
 */
export function mergeLayers(layers: readonly Layer[]): Layer {
  const combined: Layer = {};
  const last = layers.at(-1);
  if (last?.summary) combined.summary = last.summary;
  if (last?.description) combined.description = last.description;
  for (const [section, keys, noun] of sections) {
    const out: Record<string, Entry> = {};
    for (const layer of layers) {
      const entries = layer[section];
      if (!present(entries)) continue;
      for (const [name, entry] of Object.entries(entries as Record<string, Entry>)) {
        const override = entry?.override;
        if (override === 'replace' || (override === 'merge' && !out[name])) {
          out[name] = clean(entry);
        } else if (override === 'merge') {
          mergeEntry(out[name] as Entry, entry, keys);
        } else {
          throw new LayerValidationError(
            `${section}.${name}.override`,
            `every ${noun} must define "override" as "merge" or "replace"`,
          );
        }
      }
    }
    if (section === 'checks') for (const check of Object.values(out)) capTimeout(check);
    if (Object.keys(out).length > 0) combined[section] = out;
  }
  const pairing = layers
    .map((layer) => (layer.pairing as { mode?: string } | undefined)?.mode)
    .filter((mode) => mode)
    .at(-1);
  if (pairing) combined.pairing = { mode: pairing };
  return combined;
}

/** One entry as Pebble's YAML writes it: Go zero values omitted, durations canonical. */
function toPlanEntry(entry: Entry, keys: Record<string, Kind>): Entry {
  const out: Entry = {};
  for (const [key, value] of Object.entries(entry)) {
    const kind = keys[key];
    if (kind === undefined || !isSet(key, kind, value)) continue;
    if (kind === 'duration') {
      out[key] = formatGoDuration(parseGoDuration(value as string) ?? 0n);
    } else if (kind === 'http' || kind === 'tcp' || kind === 'exec') {
      out[key] = toPlanEntry(value as Entry, checkTypeKeys[kind]);
    } else if (
      kind === 'list' ||
      kind === 'map' ||
      kind === 'labels' ||
      kind === 'on-check-failure'
    ) {
      if (Object.keys(value as object).length > 0) out[key] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

const defaultCheckPeriodNs = 10_000_000_000n;
const defaultCheckTimeoutNs = 3_000_000_000n;

/** Pebble caps a set timeout at the period (default 10 s) and writes the capped value. */
function capTimeout(check: Entry): void {
  if (typeof check.timeout !== 'string') return;
  const period = typeof check.period === 'string' ? parseGoDuration(check.period) : undefined;
  const timeout = parseGoDuration(check.timeout) ?? defaultCheckTimeoutNs;
  const cap = period ?? defaultCheckPeriodNs;
  if (timeout > cap) check.timeout = formatGoDuration(cap);
}

function checkDefaults(check: Entry): void {
  if (!check.threshold) check.threshold = 3;
  capTimeout(check);
}

/**
 * Computes the plan Pebble serves (`GET /v1/plan`) for these layers, in order: merged as
 * {@link mergeLayers}, defaults applied (check `threshold` 3, `timeout` capped at `period`),
 * durations canonical (`"90s"` → `"1m30s"`), Go zero values left out, and validated as
 * Pebble validates a plan. Pebble's plan has no summary or description, so neither has this.
 * @throws LayerValidationError naming the entry and key that Pebble would refuse.
 */
export function combineLayers(layers: readonly Layer[]): Plan {
  const merged = mergeLayers(layers);
  const plan: Plan = { services: {}, checks: {}, 'log-targets': {} };
  for (const [section, keys] of sections) {
    const entries = merged[section] as Record<string, Entry> | undefined;
    if (!entries) continue;
    const out: Record<string, Entry> = {};
    for (const [name, entry] of Object.entries(entries)) {
      const planEntry = toPlanEntry(entry, keys);
      if (section === 'checks') checkDefaults(planEntry);
      if (section === 'log-targets') {
        planEntry.type ??= '';
        planEntry.location ??= '';
        planEntry.services ??= [];
      }
      out[name] = planEntry;
    }
    (plan as Record<string, unknown>)[section] = out;
  }
  if (merged.pairing) plan.pairing = merged.pairing;
  validatePlan(plan);
  return plan;
}

/**
 * Checks a combined plan as Pebble does before accepting a layer: every service has a command,
 * every check exactly one of http/tcp/exec with its required field, log targets have a type,
 * a location and known services, exec-check service contexts and workloads exist, and
 * `before`/`after` have no cycle.
 * @throws LayerValidationError naming the entry and key.
 */
export function validatePlan(plan: Plan): void {
  for (const [name, service] of Object.entries(plan.services)) {
    if (!service.command) {
      throw new LayerValidationError(
        `services.${name}.command`,
        'the combined plan must define a command',
      );
    }
    for (const required of service.requires ?? []) {
      if (!plan.services[required]) {
        throw new LayerValidationError(
          `services.${name}.requires`,
          `names a service that does not exist: ${JSON.stringify(required)}`,
        );
      }
    }
    if (
      service.workload &&
      !(plan.workloads as Record<string, unknown> | undefined)?.[service.workload]
    ) {
      throw new LayerValidationError(
        `services.${name}.workload`,
        `workload ${JSON.stringify(service.workload)} is not defined in the plan`,
      );
    }
  }
  for (const [name, check] of Object.entries(plan.checks)) {
    const kinds = (['http', 'tcp', 'exec'] as const).filter((k) => present(check[k]));
    if (kinds.length !== 1) {
      throw new LayerValidationError(
        `checks.${name}`,
        'the combined plan must have exactly one of http, tcp, exec',
      );
    }
    const kind = kinds[0] as 'http' | 'tcp' | 'exec';
    const required = { http: 'url', tcp: 'port', exec: 'command' }[kind];
    if (!(check[kind] as Entry)[required]) {
      throw new LayerValidationError(
        `checks.${name}.${kind}.${required}`,
        'the combined plan must set it',
      );
    }
    const context = check.exec?.['service-context'];
    if (context && !plan.services[context]) {
      throw new LayerValidationError(
        `checks.${name}.exec.service-context`,
        `names a service that does not exist: ${JSON.stringify(context)}`,
      );
    }
  }
  for (const [name, target] of Object.entries(plan['log-targets'])) {
    if (!target.type) {
      throw new LayerValidationError(
        `log-targets.${name}.type`,
        'the combined plan must set "loki", "opentelemetry" or "syslog"',
      );
    }
    for (const service of target.services ?? []) {
      const bare = service.replace(/^-/, '');
      if (bare !== 'all' && !plan.services[bare]) {
        throw new LayerValidationError(
          `log-targets.${name}.services`,
          `names an unknown service ${JSON.stringify(bare)}`,
        );
      }
    }
    if (!target.location) {
      throw new LayerValidationError(
        `log-targets.${name}.location`,
        'the combined plan must set it',
      );
    }
  }
  checkCycles(plan);
}

/** Pebble refuses a plan whose `before`/`after` ordering has a loop. */
function checkCycles(plan: Plan): void {
  const successors = new Map<string, Set<string>>();
  const edge = (from: string, to: string) => {
    if (!plan.services[from] || !plan.services[to]) return;
    const set = successors.get(from) ?? new Set<string>();
    successors.set(from, set);
    set.add(to);
  };
  for (const [name, service] of Object.entries(plan.services)) {
    for (const before of service.before ?? []) edge(name, before);
    for (const after of service.after ?? []) edge(after, name);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const loop = path.slice(path.indexOf(name)).sort();
      throw new LayerValidationError(
        `services.${name}`,
        `services in before/after loop: ${loop.join(', ')}`,
      );
    }
    state.set(name, 'visiting');
    for (const next of successors.get(name) ?? []) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(plan.services).sort()) visit(name, []);
}
