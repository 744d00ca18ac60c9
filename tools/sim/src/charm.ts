/**
 * Unpacking a `.charm` and reading its packed metadata (metadata.yaml, config.yaml,
 * actions.yaml), the files Juju itself reads.
 * @module
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { readCharmArchive } from './charm-archive.ts';
import { SimError } from './errors.ts';
import { planExtraction, writePlanned } from './safe-extract.ts';

/** The role an endpoint plays in a relation. */
export type EndpointRole = 'provides' | 'requires' | 'peers';

/** One declared endpoint. */
export interface EndpointSpec {
  readonly role: EndpointRole;
  readonly interface: string;
  readonly limit?: number;
}

/** A workload container and its storage mounts. */
export interface ContainerSpec {
  readonly resource?: string;
  readonly mounts: readonly { storage: string; location: string }[];
}

/** One config option from config.yaml. */
export interface ConfigOption {
  readonly type: 'string' | 'int' | 'float' | 'boolean' | 'secret';
  readonly default?: unknown;
  readonly description?: string;
}

/** One action from actions.yaml. */
export interface ActionSpec {
  readonly description?: string;
  readonly params: Record<string, Record<string, unknown>>;
  readonly required: readonly string[];
  readonly additionalProperties: boolean;
}

/** What the simulator needs to know about a charm. */
export interface CharmInfo {
  readonly name: string;
  readonly endpoints: Record<string, EndpointSpec>;
  readonly containers: Record<string, ContainerSpec>;
  readonly storage: Record<string, { type: string; location?: string }>;
  readonly resources: Record<string, { type: string; filename?: string }>;
  readonly config: Record<string, ConfigOption>;
  readonly actions: Record<string, ActionSpec>;
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
  const endpoints: Record<string, EndpointSpec> = {};
  for (const role of ['provides', 'requires', 'peers'] as const) {
    for (const [name, raw] of Object.entries(asMap(meta[role]))) {
      const spec = typeof raw === 'string' ? { interface: raw } : asMap(raw);
      endpoints[name] = {
        role,
        interface: String(spec.interface ?? ''),
        ...(typeof spec.limit === 'number' ? { limit: spec.limit } : {}),
      };
    }
  }
  const containers: Record<string, ContainerSpec> = {};
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
    storage[name] = {
      type: String(spec.type ?? 'filesystem'),
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
      type: String(spec.type ?? 'file'),
      ...(typeof spec.filename === 'string' ? { filename: spec.filename } : {}),
    };
  }
  const options: CharmInfo['config'] = {};
  for (const [name, raw] of Object.entries(asMap(config.options))) {
    const spec = asMap(raw);
    const type = String(spec.type ?? 'string');
    if (!['string', 'int', 'float', 'boolean', 'secret'].includes(type)) {
      throw new SimError('BAD_CHARM', `${label}: config option ${name} has unknown type ${type}`);
    }
    options[name] = {
      type: type as ConfigOption['type'],
      ...('default' in spec ? { default: spec.default } : {}),
      ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
    };
  }
  const actionSpecs: CharmInfo['actions'] = {};
  for (const [name, raw] of Object.entries(actions)) {
    const spec = asMap(raw);
    actionSpecs[name] = {
      ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
      params: asMap(spec.params) as Record<string, Record<string, unknown>>,
      required: Array.isArray(spec.required) ? spec.required.map(String) : [],
      additionalProperties: spec.additionalProperties !== false,
    };
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

function asMap(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
