/**
 * Client-side validation of a layer: what Pebble would refuse is refused here first, with the
 * exact location (`services.redis.override`) and what would fix it.
 * @module
 */
import { LayerValidationError } from './errors.ts';
import { parseGoDuration } from './internal/go-duration.ts';
import {
  checkKeys,
  execKeys,
  httpKeys,
  type Kind,
  logTargetKeys,
  serviceKeys,
  tcpKeys,
  topKeys,
  workloadKeys,
} from './internal/layer-schema.ts';
import { checkCommandGroups, shlexSplit } from './internal/shlex.ts';
import type { Layer } from './types.ts';

const onSuccess = ['restart', 'shutdown', 'ignore', 'failure-shutdown'];
const onFailure = ['restart', 'shutdown', 'ignore', 'success-shutdown'];

function fail(key: string, message: string): never {
  throw new LayerValidationError(key, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `undefined` and `null` values mean "absent" everywhere in a layer literal. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function oneOf(key: string, value: unknown, allowed: readonly string[]): void {
  if (value === '' || (typeof value === 'string' && allowed.includes(value))) return;
  fail(
    key,
    `must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, not ${JSON.stringify(value)}`,
  );
}

function checkValue(key: string, kind: Kind, value: unknown): void {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') fail(key, `must be a string, not ${JSON.stringify(value)}`);
      return;
    case 'override':
      if (value !== 'merge' && value !== 'replace') {
        fail(key, `must be "merge" or "replace", not ${JSON.stringify(value)}`);
      }
      return;
    case 'startup':
      oneOf(key, value, ['enabled', 'disabled']);
      return;
    case 'level':
      oneOf(key, value, ['alive', 'ready']);
      return;
    case 'on-success':
      oneOf(key, value, onSuccess);
      return;
    case 'on-failure':
      oneOf(key, value, onFailure);
      return;
    case 'on-check-failure':
      checkMap(key, value, (k, v) => oneOf(k, v, onFailure));
      return;
    case 'target-type':
      oneOf(key, value, ['loki', 'opentelemetry', 'syslog']);
      return;
    case 'list':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        fail(key, 'must be a list of strings');
      }
      return;
    case 'map':
      checkMap(key, value, (k, v) => {
        if (typeof v !== 'string') fail(k, `must be a string (quote it), not ${JSON.stringify(v)}`);
      });
      return;
    case 'labels':
      checkMap(key, value, (k, v, name) => {
        if (typeof v !== 'string') fail(k, `must be a string (quote it), not ${JSON.stringify(v)}`);
        if (name.startsWith('pebble_')) fail(k, 'the label prefix "pebble_" is reserved by Pebble');
      });
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        fail(key, `must be an integer, not ${JSON.stringify(value)}`);
      }
      return;
    case 'factor':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(key, `must be a number, not ${JSON.stringify(value)}`);
      }
      if (value < 1) fail(key, `must be 1.0 or greater, not ${value}`);
      return;
    case 'duration':
      if (typeof value !== 'string' || parseGoDuration(value) === undefined) {
        fail(
          key,
          `must be a Go duration string such as "500ms" or "1m30s", not ${JSON.stringify(value)}`,
        );
      }
      return;
    case 'command':
      if (typeof value !== 'string') fail(key, `must be a string, not ${JSON.stringify(value)}`);
      try {
        checkCommandGroups(shlexSplit(value));
      } catch (error) {
        fail(key, `invalid command: ${(error as Error).message}`);
      }
      return;
    case 'http':
      checkObject(key, value, httpKeys);
      return;
    case 'tcp':
      checkObject(key, value, tcpKeys);
      return;
    case 'exec':
      checkObject(key, value, execKeys);
      if (typeof (value as { command?: unknown }).command === 'string') {
        try {
          shlexSplit((value as { command: string }).command);
        } catch (error) {
          fail(`${key}.command`, `invalid command: ${(error as Error).message}`);
        }
      }
      return;
  }
}

function checkMap(
  key: string,
  value: unknown,
  each: (key: string, value: unknown, name: string) => void,
): void {
  if (!isObject(value)) fail(key, 'must be a mapping');
  for (const [name, v] of Object.entries(value)) {
    if (present(v)) each(`${key}.${name}`, v, name);
  }
}

function checkObject(key: string, value: unknown, keys: Record<string, Kind>): void {
  if (!isObject(value)) fail(key, 'must be a mapping');
  for (const [name, v] of Object.entries(value)) {
    const kind = keys[name];
    if (kind === undefined) {
      fail(`${key}.${name}`, `unknown key; expected one of ${Object.keys(keys).join(', ')}`);
    }
    if (present(v)) checkValue(`${key}.${name}`, kind, v);
  }
}

function checkEntries(
  layer: Record<string, unknown>,
  section: string,
  keys: Record<string, Kind>,
  extra: (key: string, entry: Record<string, unknown>, name: string) => void,
): void {
  const value = layer[section];
  if (!present(value)) return;
  if (!isObject(value)) fail(section, 'must be a mapping of names to definitions');
  for (const [name, entry] of Object.entries(value)) {
    const key = `${section}.${name}`;
    if (name === '') fail(section, 'a name cannot be empty');
    if (!isObject(entry)) fail(key, 'must be a mapping (a definition cannot be null)');
    if (!present(entry.override)) {
      fail(`${key}.override`, 'is required: "merge" or "replace"');
    }
    checkObject(key, entry, keys);
    extra(key, entry, name);
  }
}

function checkService(key: string, service: Record<string, unknown>, name: string): void {
  if (name === 'pebble') fail(key, 'the service name "pebble" is reserved');
  if (name.startsWith('-')) fail(key, 'a service name cannot start with "-"');
  if (service.override === 'replace' && !service.command) {
    fail(`${key}.command`, 'is required when override is "replace"');
  }
}

function checkCheck(key: string, check: Record<string, unknown>): void {
  const kinds = (['http', 'tcp', 'exec'] as const).filter((k) => present(check[k]));
  if (kinds.length > 1)
    fail(key, `must have exactly one of http, tcp, exec (has ${kinds.join(', ')})`);
  for (const field of ['period', 'timeout'] as const) {
    const value = check[field];
    if (typeof value === 'string' && parseGoDuration(value) === 0n) {
      fail(`${key}.${field}`, 'must not be zero');
    }
  }
  if (check.override !== 'replace') return;
  const kind = kinds[0];
  if (kind === undefined) fail(key, 'must have exactly one of http, tcp, exec');
  const required = { http: 'url', tcp: 'port', exec: 'command' }[kind];
  if (!(check[kind] as Record<string, unknown>)[required]) {
    fail(`${key}.${kind}.${required}`, `is required when override is "replace"`);
  }
}

function checkLogTarget(key: string, target: Record<string, unknown>): void {
  if (target.override !== 'replace') return;
  if (!target.type) fail(`${key}.type`, 'is required when override is "replace"');
  if (!target.location) fail(`${key}.location`, 'is required when override is "replace"');
}

/**
 * Checks a layer against Pebble's layer specification: known keys only, `override` on every
 * entry, valid enums, Go durations, `backoff-factor` ≥ 1, one check type, commands that parse,
 * and (for `override: replace`) the fields the combined plan needs. `undefined`/`null` values
 * count as absent. Returns the layer, typed.
 * @throws LayerValidationError naming the key, e.g. `services.redis.startup`.
 */
export function validateLayer(layer: unknown, label?: string): Layer {
  if (label !== undefined) {
    if (label === '') fail('label', 'must not be empty');
    if (label.startsWith('pebble-')) fail('label', 'the prefix "pebble-" is reserved by Pebble');
  }
  if (!isObject(layer)) fail('layer', 'must be a mapping');
  for (const [key, value] of Object.entries(layer)) {
    if (!topKeys.has(key)) fail(key, `unknown section; expected one of ${[...topKeys].join(', ')}`);
    if ((key === 'summary' || key === 'description') && present(value)) {
      checkValue(key, 'string', value);
    }
  }
  checkEntries(layer, 'services', serviceKeys, checkService);
  checkEntries(layer, 'checks', checkKeys, checkCheck);
  checkEntries(layer, 'log-targets', logTargetKeys, checkLogTarget);
  checkEntries(layer, 'workloads', workloadKeys, () => {});
  if (present(layer.pairing)) {
    checkObject('pairing', layer.pairing, { mode: 'string' });
    oneOf('pairing.mode', (layer.pairing as { mode?: unknown }).mode ?? '', [
      'single',
      'multiple',
      'disabled',
    ]);
  }
  return layer as Layer;
}
