import type { CharmMeta } from '@charm-ts/ops/metadata';
import { stringify } from 'yaml';

/** One `.charm` to write: a run base and one architecture. */
export interface PackTarget {
  base: { name: string; channel: string };
  arch: string;
}

// The keys of charmcraft.yaml that metadata.yaml carries (charmcraft's CharmMetadata model),
// before the renames below.
const METADATA_KEYS = [
  'name',
  'summary',
  'description',
  'assumes',
  'charm-user',
  'containers',
  'devices',
  'extra-bindings',
  'peers',
  'provides',
  'requires',
  'resources',
  'storage',
  'subordinate',
  'terms',
] as const;

/**
 * The `metadata.yaml` document charmcraft derives from charmcraft.yaml: the metadata keys as
 * written, `title` → `display-name`, `links.documentation` → `docs`, `links.contact` →
 * `maintainers` (always a list), `links.issues|source|website` → top-level keys.
 */
export function metadataDocument(meta: CharmMeta): Record<string, unknown> {
  const doc = meta.document;
  const out: Record<string, unknown> = {};
  for (const key of METADATA_KEYS) {
    if (doc[key] !== undefined && doc[key] !== null) out[key] = doc[key];
  }
  if (typeof doc.title === 'string') out['display-name'] = doc.title;
  const links = (doc.links ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(links)) {
    if (value === undefined || value === null) continue;
    if (key === 'documentation') out.docs = value;
    else if (key === 'contact') out.maintainers = typeof value === 'string' ? [value] : value;
    else out[key] = value;
  }
  return out;
}

/** `config.yaml` (`options:` …), or undefined when the charm declares no option. */
export function configDocument(meta: CharmMeta): Record<string, unknown> | undefined {
  const config = meta.document.config as Record<string, unknown> | undefined | null;
  const options = config?.options as Record<string, unknown> | undefined | null;
  return options && Object.keys(options).length > 0 ? (config ?? undefined) : undefined;
}

/** `actions.yaml`, or undefined when the charm declares no action. */
export function actionsDocument(meta: CharmMeta): Record<string, unknown> | undefined {
  const actions = meta.document.actions as Record<string, unknown> | undefined | null;
  return actions && Object.keys(actions).length > 0 ? actions : undefined;
}

/**
 * `manifest.yaml` for one target: the run base Juju deploys to (it reads only `bases`), plus
 * the tool that wrote it. There is no build time in it, so packing is reproducible.
 */
export function manifestDocument(target: PackTarget, packVersion: string): Record<string, unknown> {
  return {
    'charmcraft-version': `charm-pack ${packVersion}`,
    bases: [{ name: target.base.name, channel: target.base.channel, architectures: [target.arch] }],
  };
}

/**
 * YAML text with every mapping's keys sorted, as charmcraft's `yaml.safe_dump` writes them,
 * so that the same document always gives the same bytes.
 */
export function toYaml(document: unknown): string {
  return stringify(document, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}

/** Every (base, architecture) pair the charm runs on, in charmcraft.yaml order. */
export function packTargets(meta: CharmMeta): PackTarget[] {
  return meta.bases.flatMap((base) =>
    base.architectures.map((arch) => ({ base: { name: base.name, channel: base.channel }, arch })),
  );
}

/** `<name>_<base>-<channel>-<arch>.charm`, e.g. `snappass_ubuntu-22.04-amd64.charm`. */
export function charmFileName(name: string, target: PackTarget): string {
  return `${name}_${target.base.name}-${target.base.channel}-${target.arch}.charm`;
}
