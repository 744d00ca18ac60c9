/**
 * Unpacking a `.charm` and reading its packed metadata (metadata.yaml, config.yaml,
 * actions.yaml), the files Juju itself reads.
 * @module
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type ActionMeta,
  type CharmMeta,
  type ConfigOptionMeta,
  type ConfigOptionType,
  configValueProblem,
  type EndpointMeta,
  type EndpointRole,
  type JsonSchema,
} from '@charm-ts/ops/metadata';
import { parse } from 'yaml';
import { readCharmArchive } from './charm-archive.ts';
import { SimError } from './errors.ts';
import { planExtraction, writePlanned } from './safe-extract.ts';

/**
 * What the simulator needs to know about a charm: the parts of @charm-ts/ops' `CharmMeta` that
 * Juju reads from a packed charm's metadata.yaml, config.yaml and actions.yaml.
 */
export type CharmInfo = Pick<
  CharmMeta,
  'name' | 'endpoints' | 'containers' | 'storage' | 'resources' | 'config' | 'actions'
>;

/** One of a charm's endpoints, with its role. */
export interface CharmEndpoint extends EndpointMeta {
  readonly name: string;
  readonly role: EndpointRole;
}

/** The charm's endpoints, every role. */
export function charmEndpoints(charm: Pick<CharmInfo, 'endpoints'>): CharmEndpoint[] {
  return (['provides', 'requires', 'peers'] as const).flatMap((role) =>
    Object.entries(charm.endpoints[role]).map(([name, meta]) => ({ ...meta, name, role })),
  );
}

/**
 * Unpacks `charmFile` into `dir`, which must not exist yet, and reads its metadata. Every entry
 * is checked before anything is written (see safe-extract.ts): a refused charm leaves nothing.
 * @throws SimError `BAD_CHARM` when the file is unreadable, is not a zip, has no metadata.yaml,
 * has an entry that would land outside `dir` (or twice), or has a non-executable dispatch.
 */
export function unpackCharm(charmFile: string, dir: string): CharmInfo {
  let bytes: Buffer;
  try {
    bytes = readFileSync(charmFile);
  } catch (cause) {
    throw new SimError('BAD_CHARM', `cannot read charm ${charmFile}: ${(cause as Error).message}`);
  }
  const entries = readCharmArchive(bytes, charmFile);
  const plan = planExtraction(entries, charmFile);
  const dispatch = entries.find((e) => e.name === 'dispatch' && !e.symlink);
  if (dispatch?.mode !== undefined && (dispatch.mode & 0o100) === 0) {
    throw new SimError(
      'BAD_CHARM',
      `${charmFile}: dispatch is not executable (mode ${dispatch.mode.toString(8)}); pack it with Unix mode 0755`,
    );
  }
  mkdirSync(dirname(dir), { recursive: true });
  try {
    writePlanned(plan, dir, charmFile);
    return readCharmDir(dir, charmFile);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Reads metadata.yaml, config.yaml and actions.yaml from an unpacked charm.
 * @throws SimError `BAD_CHARM` when metadata.yaml is missing or a file is not valid YAML.
 */
export function readCharmDir(dir: string, label = dir): CharmInfo {
  const meta = readYaml(join(dir, 'metadata.yaml'), label, true) as Record<string, unknown>;
  const config = (readYaml(join(dir, 'config.yaml'), label, false) ?? {}) as Record<
    string,
    unknown
  >;
  const actions = (readYaml(join(dir, 'actions.yaml'), label, false) ?? {}) as Record<
    string,
    unknown
  >;
  if (typeof meta.name !== 'string' || meta.name === '') {
    throw new SimError('BAD_CHARM', `${label}: metadata.yaml has no name`);
  }
  const endpoints: CharmInfo['endpoints'] = { requires: {}, provides: {}, peers: {} };
  for (const role of ['provides', 'requires', 'peers'] as const) {
    for (const [name, raw] of Object.entries(asMap(meta[role]))) {
      const spec = typeof raw === 'string' ? { interface: raw } : asMap(raw);
      const endpoint: EndpointMeta = { interface: String(spec.interface ?? '') };
      if (typeof spec.limit === 'number') endpoint.limit = spec.limit;
      endpoints[role][name] = endpoint;
    }
  }
  const containers: CharmInfo['containers'] = {};
  for (const [name, raw] of Object.entries(asMap(meta.containers))) {
    checkName(label, 'container', name);
    const spec = asMap(raw);
    const mounts = Array.isArray(spec.mounts) ? spec.mounts : [];
    containers[name] = {
      ...(typeof spec.resource === 'string' ? { resource: spec.resource } : {}),
      mounts: mounts.map((m) => ({
        storage: String(asMap(m).storage),
        location: String(asMap(m).location),
      })),
    };
  }
  const storage: CharmInfo['storage'] = {};
  for (const [name, raw] of Object.entries(asMap(meta.storage))) {
    checkName(label, 'storage', name);
    const spec = asMap(raw);
    const type = oneOf(label, `storage ${name} type`, spec.type ?? 'filesystem', [
      'filesystem',
      'block',
    ]);
    storage[name] = {
      type,
      ...(typeof spec.location === 'string' ? { location: spec.location } : {}),
    };
  }
  const resources: CharmInfo['resources'] = {};
  for (const [name, raw] of Object.entries(asMap(meta.resources))) {
    checkName(label, 'resource', name);
    const spec = asMap(raw);
    if (typeof spec.filename === 'string')
      checkName(label, `resource ${name} filename`, spec.filename);
    resources[name] = {
      type: oneOf(label, `resource ${name} type`, spec.type ?? 'file', ['file', 'oci-image']),
      ...(typeof spec.filename === 'string' ? { filename: spec.filename } : {}),
    };
  }
  const options: CharmInfo['config'] = {};
  for (const [name, raw] of Object.entries(asMap(config.options))) {
    const spec = asMap(raw);
    const type = String(spec.type ?? 'string') as ConfigOptionType;
    if (!['string', 'int', 'float', 'boolean', 'secret'].includes(type)) {
      throw new SimError('BAD_CHARM', `${label}: config option ${name} has unknown type ${type}`);
    }
    const option: ConfigOptionMeta = { type };
    if (spec.default !== undefined && spec.default !== null) {
      // Juju refuses a charm whose default does not fit (`invalid config default`).
      const problem = configValueProblem(type, spec.default);
      if (problem) {
        throw new SimError(
          'BAD_CHARM',
          `${label}: config.yaml: option ${name}: invalid config default: ${problem}`,
        );
      }
      option.default = spec.default as ConfigOptionMeta['default'] & {};
    }
    if (typeof spec.description === 'string') option.description = spec.description;
    options[name] = option;
  }
  const actionSpecs: CharmInfo['actions'] = {};
  for (const [name, raw] of Object.entries(actions)) {
    const spec = asMap(raw);
    const action: ActionMeta = {
      params: asMap(spec.params) as Record<string, JsonSchema>,
      required: Array.isArray(spec.required) ? spec.required.map(String) : [],
    };
    if (typeof spec.description === 'string') action.description = spec.description;
    if (typeof spec.additionalProperties === 'boolean') {
      action.additionalProperties = spec.additionalProperties;
    }
    actionSpecs[name] = action;
  }
  return {
    name: meta.name,
    endpoints,
    containers,
    storage,
    resources,
    config: options,
    actions: actionSpecs,
  };
}

function readYaml(path: string, label: string, required: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (!required) return undefined;
    throw new SimError('BAD_CHARM', `${label}: archive file "metadata.yaml" not found`);
  }
  try {
    return parse(text);
  } catch (cause) {
    throw new SimError('BAD_CHARM', `${label}: ${path}: invalid YAML: ${(cause as Error).message}`);
  }
}

// Container, storage and resource names become directory names on the host.
const PATH_SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkName(label: string, what: string, name: string): void {
  if (!PATH_SAFE_NAME.test(name) || name.length > 100) {
    throw new SimError(
      'BAD_CHARM',
      `${label}: metadata.yaml: ${what} ${JSON.stringify(name)} is not a valid name: use letters, digits, ".", "_" and "-"`,
    );
  }
}

function oneOf<T extends string>(label: string, what: string, value: unknown, allowed: T[]): T {
  if (typeof value === 'string' && (allowed as string[]).includes(value)) return value as T;
  throw new SimError(
    'BAD_CHARM',
    `${label}: metadata.yaml: ${what} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
  );
}

function asMap(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
