/**
 * `base` + `platforms` (current charmcraft) or `bases` (older form) → run bases.
 * @module
 */
import { type Checker, join, type YamlMap } from './check.ts';
import type { BaseMeta } from './types.ts';

const ARCHES = ['amd64', 'arm64', 'armhf', 'ppc64el', 'riscv64', 's390x', 'all'];

/**
 * The bases charmcraft 4.5 accepts for `base`, in `platforms` and as a run base (its
 * `const.py` `BaseStr`): Ubuntu LTS and interim releases, and AlmaLinux 9 (CentOS is gone).
 */
const KNOWN_BASES = [
  'ubuntu@18.04',
  'ubuntu@20.04',
  'ubuntu@22.04',
  'ubuntu@24.04',
  'ubuntu@25.04',
  'ubuntu@25.10',
  'ubuntu@26.04',
  'ubuntu@26.10',
  'almalinux@9',
] as const;
/** `build-base` may also be `ubuntu@devel`. */
const BUILD_BASES = [...KNOWN_BASES, 'ubuntu@devel'];
/** Interim releases charmcraft builds only with a `build-base` (`DEVEL_BASE_STRINGS`). */
const NEEDS_BUILD_BASE = ['ubuntu@25.04', 'ubuntu@25.10', 'ubuntu@26.10'];
/** What the older `bases:` form accepts (`LEGACY_BASES`); others need `base` + `platforms`. */
const LEGACY_BASES = ['ubuntu@18.04', 'ubuntu@20.04', 'ubuntu@22.04', 'almalinux@9'];

/**
 * Normalises the charm's bases. Throws `CharmcraftError` when neither form is present, both
 * are, or an entry is malformed.
 */
export function parseBases(c: Checker, root: YamlMap): { bases: BaseMeta[]; platforms?: YamlMap } {
  if (root.bases !== undefined) {
    for (const key of ['base', 'build-base', 'platforms']) {
      if (root[key] !== undefined)
        c.fail(key, "cannot be combined with 'bases'; use 'base' + 'platforms' only");
    }
    return { bases: fromBasesList(c, root.bases) };
  }
  if (root.platforms === undefined) {
    c.fail('platforms', "is required; add e.g. 'base: ubuntu@22.04' and 'platforms: {amd64: }'");
  }
  const base = root.base === undefined ? undefined : parseBase(c, c.str(root.base, 'base'), 'base');
  if (root['build-base'] !== undefined)
    parseBase(c, c.str(root['build-base'], 'build-base'), 'build-base', BUILD_BASES);
  else if (base && NEEDS_BUILD_BASE.includes(`${base.name}@${base.channel}`)) {
    const text = `${base.name}@${base.channel}`;
    c.fail('base', `${text} is built only with a build-base; add 'build-base: ${text}'`);
  }
  const platforms = c.map(root.platforms, 'platforms');
  const bases: BaseMeta[] = [];
  const add = (b: { name: string; channel: string }, arch: string) => {
    const found = bases.find((x) => x.name === b.name && x.channel === b.channel);
    if (found) {
      if (!found.architectures.includes(arch)) found.architectures.push(arch);
    } else bases.push({ name: b.name, channel: b.channel, architectures: [arch] });
  };
  for (const [key, raw] of Object.entries(platforms)) {
    const path = join('platforms', key);
    if (raw === null || raw === undefined) {
      const target = parseTarget(c, key, path, base);
      add(target.base, target.arch);
      continue;
    }
    const m = c.map(raw, path, ['build-on', 'build-for']);
    c.strList(c.required(m, 'build-on', path), join(path, 'build-on')).forEach((t, i) => {
      parseTarget(c, t, `${path}.build-on[${i}]`, base);
    });
    c.strList(c.required(m, 'build-for', path), join(path, 'build-for')).forEach((t, i) => {
      const target = parseTarget(c, t, `${path}.build-for[${i}]`, base);
      add(target.base, target.arch);
    });
  }
  if (bases.length === 0) c.fail('platforms', 'declares no platform; add one, e.g. amd64');
  return { bases, platforms };
}

function parseBase(
  c: Checker,
  text: string,
  path: string,
  known: readonly string[] = KNOWN_BASES,
): { name: string; channel: string } {
  const m = /^([a-z]+)@([0-9][0-9.]*|devel)$/.exec(text);
  if (!m) c.fail(path, `'${text}' is not a base; write it as <name>@<channel>, e.g. ubuntu@22.04`);
  if (!known.includes(text)) {
    c.fail(path, `'${text}' is not a base charmcraft knows; use one of ${known.join(', ')}`);
  }
  return { name: m[1] as string, channel: m[2] as string };
}

function parseTarget(
  c: Checker,
  text: string,
  path: string,
  base: { name: string; channel: string } | undefined,
): { base: { name: string; channel: string }; arch: string } {
  const colon = text.lastIndexOf(':');
  const arch = colon < 0 ? text : text.slice(colon + 1);
  if (!ARCHES.includes(arch))
    c.fail(path, `'${arch}' is not an architecture; use one of ${ARCHES.join(', ')}`);
  if (colon >= 0) return { base: parseBase(c, text.slice(0, colon), path), arch };
  if (!base)
    c.fail(path, `'${text}' names no base; add 'base: ubuntu@22.04' or write ubuntu@22.04:${arch}`);
  return { base, arch };
}

function fromBasesList(c: Checker, value: unknown): BaseMeta[] {
  const out: BaseMeta[] = [];
  c.list(value, 'bases').forEach((entry, i) => {
    const path = `bases[${i}]`;
    const m = c.map(entry, path);
    if ('run-on' in m || 'build-on' in m) {
      c.map(m, path, ['build-on', 'run-on']);
      const runOn = m['run-on'] ?? m['build-on'];
      const key = m['run-on'] !== undefined ? 'run-on' : 'build-on';
      c.list(m['build-on'] ?? [], join(path, 'build-on')).forEach((b, j) => {
        oneBase(c, b, `${path}.build-on[${j}]`);
      });
      c.list(runOn, join(path, key)).forEach((b, j) => {
        out.push(oneBase(c, b, `${path}.${key}[${j}]`));
      });
    } else out.push(oneBase(c, m, path));
  });
  if (out.length === 0)
    c.fail('bases', 'is empty; add a base, e.g. {name: ubuntu, channel: "22.04"}');
  return out;
}

function oneBase(c: Checker, value: unknown, path: string): BaseMeta {
  const m = c.map(value, path, ['name', 'channel', 'architectures']);
  const channel = m.channel;
  if (typeof channel !== 'string') {
    c.fail(
      join(path, 'channel'),
      `expected a quoted string such as "22.04" (YAML reads 22.04 unquoted as a number)`,
    );
  }
  const architectures =
    m.architectures === undefined
      ? ['amd64']
      : c.strList(m.architectures, join(path, 'architectures'));
  const name = c.str(c.required(m, 'name', path), join(path, 'name'));
  if (!LEGACY_BASES.includes(`${name}@${channel}`)) {
    const known = LEGACY_BASES.map((b) => b.replace('@', ' ')).join(', ');
    c.fail(
      path,
      `${name} ${channel} is not a base the 'bases' form accepts (${known}); for another base use 'base: <name>@<channel>' with 'platforms'`,
    );
  }
  return { name, channel, architectures };
}
