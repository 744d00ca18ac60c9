/**
 * charmcraft.yaml (unified format) → `CharmMeta`. Build- and test-time code: it loads the `yaml`
 * package, so the dispatch path never imports this module (it uses `CharmRuntimeMeta`).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { CharmcraftError } from '../errors.ts';
import { parseBases } from './bases.ts';
import { Checker, join, type YamlMap } from './check.ts';
import { parseActions, parseConfig } from './options.ts';
import type {
  CharmMeta,
  ContainerMeta,
  EndpointMeta,
  EndpointRole,
  ResourceMeta,
  StorageMeta,
} from './types.ts';

const TOP_LEVEL_KEYS = [
  'name',
  'type',
  'title',
  'summary',
  'description',
  'links',
  'license',
  'base',
  'build-base',
  'platforms',
  'bases',
  'parts',
  'assumes',
  'containers',
  'resources',
  'requires',
  'provides',
  'peers',
  'storage',
  'extra-bindings',
  'config',
  'actions',
  'charm-user',
  'subordinate',
  'devices',
  'terms',
  'charm-libs',
  'analysis',
] as const;

const CHARM_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const ITEM_NAME = /^[a-z][a-z0-9]*([_-][a-z0-9]+)*$/;
const ROLES: readonly EndpointRole[] = ['requires', 'provides', 'peers'];

/**
 * Parses and validates charmcraft.yaml text. `file` is only used in error messages.
 * Throws `CharmcraftError` (naming the file, the key path and the fix) for YAML syntax errors,
 * unknown keys, missing required keys, wrong types and broken cross-references.
 */
export function parseCharmcraft(text: string, file: string): CharmMeta {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw new CharmcraftError(file, '', `invalid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  return validate(new Checker(file), data);
}

/**
 * Reads `<charmDir>/charmcraft.yaml` and parses it. Throws `CharmcraftError` when the file is
 * missing or invalid.
 */
export async function loadCharmcraft(charmDir: string): Promise<CharmMeta> {
  const file = joinPath(charmDir, 'charmcraft.yaml');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new CharmcraftError(
      file,
      '',
      `cannot read the file (${(err as Error).message}); create it`,
    );
  }
  return parseCharmcraft(textOf(bytes, file), file);
}

/**
 * The file as text, or a `CharmcraftError` that says it is not text YAML (where the first
 * binary byte is) without printing any of it.
 */
function textOf(bytes: Buffer, file: string): string {
  const notText = (why: string) =>
    new CharmcraftError(
      file,
      '',
      `is not a text YAML file (${why}); charmcraft.yaml must be UTF-8 text: is this the right file?`,
    );
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw notText(`binary data: a NUL byte at offset ${nul}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notText('not valid UTF-8');
  }
  // YAML allows tab, newline and carriage return, and no other C0 control character.
  const control = bytes.findIndex(
    (b) => (b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f,
  );
  if (control >= 0) throw notText(`a control character at offset ${control}`);
  return text;
}

function validate(c: Checker, data: unknown): CharmMeta {
  const root = c.map(data ?? undefined, '', TOP_LEVEL_KEYS);
  const name = c.name(
    c.str(c.required(root, 'name', ''), 'name'),
    'name',
    CHARM_NAME,
    'charm name (lowercase letters, digits and dashes)',
  );
  if (root.type !== undefined && root.type !== 'charm')
    c.fail('type', "must be 'charm' (or be left out)");
  const summary = c.str(c.required(root, 'summary', ''), 'summary');
  const description = c.str(c.required(root, 'description', ''), 'description');
  const title = c.optStr(root.title, 'title');
  checkLinks(c, root.links);
  if (root.parts !== undefined) c.map(root.parts, 'parts');

  const endpoints = parseEndpoints(c, root);
  const extraBindings = Object.keys(c.optMap(root['extra-bindings'], 'extra-bindings'));
  const storage = parseStorage(c, root.storage);
  const resources = parseResources(c, root.resources);
  const containers = parseContainers(c, root.containers, resources, storage);
  const charmUser =
    root['charm-user'] === undefined
      ? undefined
      : c.oneOf(root['charm-user'], 'charm-user', ['root', 'sudoer', 'non-root'] as const);
  const assumes = root.assumes === undefined ? [] : checkAssumes(c, root.assumes, 'assumes');
  const subordinate = c.optBool(root.subordinate, 'subordinate') ?? false;
  if (subordinate && !Object.values(endpoints.requires).some((e) => e.scope === 'container')) {
    c.fail(
      'subordinate',
      "a subordinate charm needs a 'requires' endpoint with 'scope: container'",
    );
  }
  const { bases, platforms } = parseBases(c, root);
  const meta: CharmMeta = {
    file: c.file,
    name,
    summary,
    description,
    config: parseConfig(c, root.config),
    actions: parseActions(c, root.actions),
    endpoints,
    containers,
    storage,
    resources,
    extraBindings,
    assumes,
    subordinate,
    bases,
    document: root,
  };
  if (title !== undefined) meta.title = title;
  if (charmUser !== undefined) meta.charmUser = charmUser;
  if (platforms !== undefined) meta.platforms = platforms;
  return meta;
}

function checkLinks(c: Checker, value: unknown): void {
  const links = c.optMap(value, 'links', [
    'documentation',
    'issues',
    'source',
    'website',
    'contact',
  ]);
  for (const [key, v] of Object.entries(links)) {
    if (key === 'documentation') c.str(v, 'links.documentation');
    else if (typeof v !== 'string') c.strList(v, `links.${key}`);
  }
}

function checkAssumes(c: Checker, value: unknown, path: string): unknown[] {
  const items = c.list(value, path);
  items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (typeof item === 'string') return;
    const m = c.map(item, at, ['any-of', 'all-of']);
    const keys = Object.keys(m);
    if (keys.length !== 1) c.fail(at, "expected exactly one of 'any-of' or 'all-of'");
    const key = keys[0] as string;
    checkAssumes(c, m[key], join(at, key));
  });
  return items;
}

function parseEndpoints(
  c: Checker,
  root: YamlMap,
): Record<EndpointRole, Record<string, EndpointMeta>> {
  const out: Record<EndpointRole, Record<string, EndpointMeta>> = {
    requires: {},
    provides: {},
    peers: {},
  };
  const seen = new Map<string, EndpointRole>();
  for (const role of ROLES) {
    for (const [ep, raw] of Object.entries(c.optMap(root[role], role))) {
      const path = join(role, ep);
      c.name(ep, path, ITEM_NAME, 'endpoint name');
      if (ep === 'juju' || ep.startsWith('juju-'))
        c.fail(path, "endpoint names 'juju' and 'juju-*' are reserved by Juju; rename it");
      const other = seen.get(ep);
      if (other)
        c.fail(
          path,
          `endpoint '${ep}' is also declared under '${other}'; endpoint names must be unique`,
        );
      seen.set(ep, role);
      if (typeof raw === 'string') {
        out[role][ep] = { interface: raw };
        continue;
      }
      const m = c.map(raw, path, ['interface', 'limit', 'optional', 'scope', 'description']);
      const meta: EndpointMeta = {
        interface: c.str(c.required(m, 'interface', path), join(path, 'interface')),
      };
      if (m.limit !== undefined) meta.limit = c.int(m.limit, join(path, 'limit'));
      if (m.optional !== undefined) meta.optional = c.bool(m.optional, join(path, 'optional'));
      if (m.scope !== undefined)
        meta.scope = c.oneOf(m.scope, join(path, 'scope'), ['global', 'container'] as const);
      if (m.description !== undefined)
        meta.description = c.str(m.description, join(path, 'description'));
      out[role][ep] = meta;
    }
  }
  return out;
}

function parseStorage(c: Checker, value: unknown): Record<string, StorageMeta> {
  const out: Record<string, StorageMeta> = {};
  const keys = [
    'type',
    'description',
    'location',
    'shared',
    'read-only',
    'minimum-size',
    'multiple',
    'properties',
  ];
  for (const [name, raw] of Object.entries(c.optMap(value, 'storage'))) {
    const path = join('storage', name);
    c.name(name, path, ITEM_NAME, 'storage name');
    const m = c.map(raw, path, keys);
    const meta: StorageMeta = {
      type: c.oneOf(c.required(m, 'type', path), join(path, 'type'), [
        'filesystem',
        'block',
      ] as const),
    };
    if (m.description !== undefined)
      meta.description = c.str(m.description, join(path, 'description'));
    if (m.location !== undefined) meta.location = c.str(m.location, join(path, 'location'));
    if (m.shared !== undefined) meta.shared = c.bool(m.shared, join(path, 'shared'));
    if (m['read-only'] !== undefined)
      meta.readOnly = c.bool(m['read-only'], join(path, 'read-only'));
    if (m['minimum-size'] !== undefined) meta.minimumSize = String(m['minimum-size']);
    if (m.multiple !== undefined) {
      const mult = c.map(m.multiple, join(path, 'multiple'), ['range']);
      const range = String(c.required(mult, 'range', join(path, 'multiple')));
      if (!/^\d+(-\d+|\+)?$/.test(range))
        c.fail(join(path, 'multiple.range'), `'${range}' is not a range; use m, m-n or m+`);
      meta.multipleRange = range;
    }
    if (m.properties !== undefined) {
      meta.properties = c.strList(m.properties, join(path, 'properties'));
      meta.properties.forEach((p, i) => {
        if (p !== 'transient')
          c.fail(`${path}.properties[${i}]`, "the only storage property is 'transient'");
      });
    }
    out[name] = meta;
  }
  return out;
}

function parseResources(c: Checker, value: unknown): Record<string, ResourceMeta> {
  const out: Record<string, ResourceMeta> = {};
  for (const [name, raw] of Object.entries(c.optMap(value, 'resources'))) {
    const path = join('resources', name);
    const m = c.map(raw, path, ['type', 'description', 'filename', 'upstream-source']);
    const meta: ResourceMeta = {
      type:
        m.type === undefined
          ? 'file'
          : c.oneOf(m.type, join(path, 'type'), ['oci-image', 'file'] as const),
    };
    if (m.description !== undefined)
      meta.description = c.str(m.description, join(path, 'description'));
    if (m.filename !== undefined) meta.filename = c.str(m.filename, join(path, 'filename'));
    if (m['upstream-source'] !== undefined)
      meta.upstreamSource = c.str(m['upstream-source'], join(path, 'upstream-source'));
    if (meta.type === 'file' && meta.filename === undefined)
      c.fail(join(path, 'filename'), "a 'file' resource needs a filename; add it");
    out[name] = meta;
  }
  return out;
}

function parseContainers(
  c: Checker,
  value: unknown,
  resources: Record<string, ResourceMeta>,
  storage: Record<string, StorageMeta>,
): Record<string, ContainerMeta> {
  const out: Record<string, ContainerMeta> = {};
  for (const [name, raw] of Object.entries(c.optMap(value, 'containers'))) {
    const path = join('containers', name);
    c.name(name, path, ITEM_NAME, 'container name');
    const m = c.map(raw, path, ['resource', 'bases', 'mounts', 'uid', 'gid']);
    const meta: ContainerMeta = { mounts: [] };
    if (m.resource !== undefined) {
      const res = c.str(m.resource, join(path, 'resource'));
      const declared = resources[res];
      if (!declared)
        c.fail(
          join(path, 'resource'),
          `resource '${res}' is not declared; add it under 'resources' with 'type: oci-image'`,
        );
      if (declared.type !== 'oci-image')
        c.fail(
          join(path, 'resource'),
          `referenced resource '${res}' is not a oci-image; set its type to oci-image`,
        );
      meta.resource = res;
    } else if (m.bases === undefined) {
      c.fail(path, "a container needs a 'resource' (an oci-image resource) or 'bases'");
    }
    if (m.mounts !== undefined) {
      c.list(m.mounts, join(path, 'mounts')).forEach((mount, i) => {
        const at = `${path}.mounts[${i}]`;
        const mm = c.map(mount, at, ['storage', 'location']);
        const st = c.str(c.required(mm, 'storage', at), join(at, 'storage'));
        if (!storage[st])
          c.fail(join(at, 'storage'), `storage '${st}' is not declared; add it under 'storage'`);
        meta.mounts.push({
          storage: st,
          location: c.str(c.required(mm, 'location', at), join(at, 'location')),
        });
      });
    }
    for (const id of ['uid', 'gid'] as const) {
      if (m[id] === undefined) continue;
      const n = c.int(m[id], join(path, id));
      if (n >= 1000 && n <= 9999)
        c.fail(join(path, id), `${n} is in the range 1000-9999 that Juju reserves; pick another`);
      meta[id] = n;
    }
    out[name] = meta;
  }
  return out;
}
