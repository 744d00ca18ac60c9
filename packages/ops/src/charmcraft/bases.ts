/**
 * `base` + `platforms` (current charmcraft) or `bases` (older form) → run bases.
 * @module
 */
import { type Checker, join, type YamlMap } from './check.ts';
import type { BaseMeta } from './types.ts';

const ARCHES = ['amd64', 'arm64', 'armhf', 'ppc64el', 'riscv64', 's390x', 'all'];

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
    parseBase(c, c.str(root['build-base'], 'build-base'), 'build-base');
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

function parseBase(c: Checker, text: string, path: string): { name: string; channel: string } {
  const m = /^([a-z]+)@([0-9][0-9.]*)$/.exec(text);
  if (!m) c.fail(path, `'${text}' is not a base; write it as <name>@<channel>, e.g. ubuntu@22.04`);
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
  return { name: c.str(c.required(m, 'name', path), join(path, 'name')), channel, architectures };
}
