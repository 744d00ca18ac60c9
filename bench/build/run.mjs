// bench/build: how long `pnpm build` takes, how big each charm is, and what starting a packed
// charm costs over bare Node.js on the same embedded runtime. Run on demand:
//   pnpm --filter @charm-ts/bench bench:build [-- --runs 30 --skip-download --json out.json]
// Charms measured: every charms/<name>/ with a charmcraft.yaml, plus charm-pack's fixture
// charms (tools/pack/test/fixtures/*), so it measures something before the charms land.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { scriptArgs } from '../script-args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = join(root, 'tools/pack/dist/cli.js');
const probe = join(here, 'first-line-probe.cjs');
const hostArch = arch() === 'x64' ? 'amd64' : arch();

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    runs: { type: 'string', default: '30' },
    'skip-download': { type: 'boolean', default: false },
    'skip-pnpm': { type: 'boolean', default: false },
    only: { type: 'string' },
    baseline: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: node bench/build/run.mjs [--runs N] [--only CHARM] [--skip-download] [--skip-pnpm] [--baseline CHECKOUT] [--json FILE]\n',
  );
  process.exit(0);
}
const runs = Number(values.runs);
// Another checkout of the repository (its charm-pack built, its charms' typegen run): each charm
// is also packed there, with its own charm-pack, and started in the same interleaved loop.
const baseline = values.baseline ? resolve(values.baseline) : undefined;
if (baseline && !existsSync(join(baseline, 'tools/pack/dist/cli.js'))) {
  throw new Error(
    `--baseline ${baseline}: no tools/pack/dist/cli.js there (pnpm install && pnpm --filter @charm-ts/pack build in it)`,
  );
}
const work = mkdtempSync(join(tmpdir(), 'bench-build-'));
const results = { machine: `${cpus().length} cores, ${process.version} host`, runs, steps: {} };
const log = (line) => process.stderr.write(`bench/build: ${line}\n`);

try {
  if (!existsSync(cli)) run('pnpm', ['--filter', '@charm-ts/pack', 'build']);
  const charms = [
    ...charmDirs(join(root, 'charms')).map((dir) => ({ dir, kind: 'charm' })),
    ...charmDirs(join(root, 'tools/pack/test/fixtures')).map((dir) => ({ dir, kind: 'fixture' })),
  ].filter((c) => !values.only || basename(c.dir) === values.only);

  if (!values['skip-pnpm']) {
    // Cold: turbo ignores its cache (every package and charm rebuilt; the Node.js runtime
    // cache stays warm: its first download is measured below). Warm: nothing changed.
    log('pnpm build, cold (TURBO_FORCE=true)');
    results.steps.pnpmBuildCold = timeOnce('pnpm', ['build'], { TURBO_FORCE: 'true' });
    log('pnpm build, warm');
    results.steps.pnpmBuildWarm = median(
      Array.from({ length: 3 }, () => timeOnce('pnpm', ['build'])),
    );
  }

  if (!values['skip-download']) {
    const fixture = charms.find((c) => basename(c.dir) === 'ops-hello') ?? charms[0];
    log(`first pack on a machine (empty runtime cache): ${basename(fixture.dir)}`);
    const cache = join(work, 'empty-cache');
    results.steps.firstPackEmptyCache = timeOnce('node', [
      cli,
      fixture.dir,
      '-q',
      '--no-link',
      '--out',
      join(work, 'first'),
      '--cache-dir',
      cache,
    ]);
  }

  results.charms = [];
  for (const charm of charms) {
    const name = basename(charm.dir);
    log(`${name}: charm-pack (plain and --minify), load cost`);
    const row = { name, kind: charm.kind };
    const unpackedDirs = {};
    for (const variant of ['plain', 'minify']) {
      const out = join(work, `${charm.kind}-${name}`, variant);
      const args = [cli, charm.dir, '-q', '--no-link', '--out', out];
      if (variant === 'minify') args.push('--minify');
      const times = Array.from({ length: 3 }, () => timeOnce('node', args));
      const file = readdirSync(out).find((f) => f.endsWith(`-${hostArch}.charm`));
      const unpacked = join(work, `${charm.kind}-${name}`, `${variant}-unpacked`);
      execFileSync('unzip', ['-q', '-o', join(out, file), '-d', unpacked]);
      unpackedDirs[variant] = unpacked;
      row[variant] = {
        packMs: median(times),
        charmBytes: statSync(join(out, file)).size,
        bundleBytes: statSync(join(unpacked, 'charm.cjs')).size,
        mapBytes: statSync(join(unpacked, 'charm.cjs.map')).size,
      };
    }
    const baseDir = baseline && join(baseline, relative(root, charm.dir));
    if (baseDir && existsSync(join(baseDir, 'charmcraft.yaml'))) {
      const out = join(work, `${charm.kind}-${name}`, 'baseline');
      const args = [
        join(baseline, 'tools/pack/dist/cli.js'),
        baseDir,
        '-q',
        '--no-link',
        '--out',
        out,
      ];
      const times = Array.from({ length: 3 }, () => timeOnce('node', args));
      const file = readdirSync(out).find((f) => f.endsWith(`-${hostArch}.charm`));
      const unpacked = join(work, `${charm.kind}-${name}`, 'baseline-unpacked');
      execFileSync('unzip', ['-q', '-o', join(out, file), '-d', unpacked]);
      unpackedDirs.baseline = unpacked;
      row.baseline = {
        packMs: median(times),
        charmBytes: statSync(join(out, file)).size,
        bundleBytes: statSync(join(unpacked, 'charm.cjs')).size,
        mapBytes: statSync(join(unpacked, 'charm.cjs.map')).size,
      };
    }
    // Every variant in one interleaved loop, so that load on the machine hits them alike.
    const load = loadCost(unpackedDirs);
    for (const variant of Object.keys(unpackedDirs)) row[variant].load = load[variant];
    results.charms.push(row);
  }
  const table = render(results);
  process.stdout.write(table);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function charmDirs(parent) {
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .sort()
    .map((name) => join(parent, name))
    .filter((dir) => existsSync(join(dir, 'charmcraft.yaml')) && existsSync(join(dir, 'src')));
}

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
}

function timeOnce(cmd, args, env = {}) {
  const start = process.hrtime.bigint();
  run(cmd, args, env);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Wall time of N interleaved runs of each variant, from spawn to exit, on the charm's own
// embedded Node.js (so that the baseline is the same binary):
//   nodeE0     the runtime alone (with the probe preloaded, like the others)
//   dispatch   ./dispatch as Juju runs it: sh, then node charm.cjs with the lazy source-map
//              banner and V8's compile cache (warm after the warm-up rounds), until the charm
//              reads its event
//   noCache    node charm.cjs without the compile cache (the first hook after a deploy)
//   nodeMaps   node --enable-source-maps charm.cjs, no cache: what Node's own source maps cost
function loadCost(charmDirs) {
  const env = {
    PATH: '/usr/bin:/bin',
    NODE_OPTIONS: `--require ${probe}`,
    JUJU_DISPATCH_PATH: 'hooks/update-status',
    JUJU_UNIT_NAME: 'bench/0',
    JUJU_MODEL_NAME: 'bench',
  };
  const cases = [];
  for (const [variant, charmDir] of Object.entries(charmDirs)) {
    const node = join(charmDir, 'runtime/node');
    cases.push(
      [variant, 'nodeE0', charmDir, node, ['-e', '0']],
      [variant, 'dispatch', charmDir, './dispatch', []],
      [variant, 'noCache', charmDir, node, ['charm.cjs']],
      [variant, 'nodeMaps', charmDir, node, ['--enable-source-maps', 'charm.cjs']],
    );
  }
  const samples = {};
  for (let i = 0; i < runs + 2; i++) {
    for (const [variant, key, charmDir, cmd, args] of cases) {
      const start = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { cwd: charmDir, env, stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${key} in ${charmDir} exited ${r.status}`);
      if (i < 2) continue; // two warm-up rounds
      samples[variant] ??= {};
      samples[variant][key] ??= [];
      samples[variant][key].push(ms);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([variant, byKey]) => [
      variant,
      Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k, median(v)])),
    ]),
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function render(r) {
  const ms = (v) => (v === undefined ? 'n/a' : `${v.toFixed(0)} ms`);
  const kib = (v) => `${(v / 1024).toFixed(1)} KiB`;
  const mib = (v) => `${(v / 1024 / 1024).toFixed(1)} MiB`;
  const lines = [
    `bench/build on ${r.machine}; load times are medians of ${r.runs} interleaved runs`,
    '',
    '| build step | time |',
    '| --- | --- |',
    `| pnpm build, cold (turbo --force, runtime cached) | ${ms(r.steps.pnpmBuildCold)} |`,
    `| pnpm build, warm (nothing changed, median of 3) | ${ms(r.steps.pnpmBuildWarm)} |`,
    `| first pack on a machine (download + compress runtime) | ${ms(r.steps.firstPackEmptyCache)} |`,
    '',
    '| charm | variant | charm-pack | charm.cjs | map | .charm | node -e 0 | dispatch | over node -e 0 | ratio | no compile cache | --enable-source-maps, no cache |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of r.charms) {
    for (const variant of ['plain', 'minify', 'baseline']) {
      const v = c[variant];
      if (!v) continue;
      const over = v.load.dispatch - v.load.nodeE0;
      lines.push(
        `| ${c.name} (${c.kind}) | ${variant} | ${ms(v.packMs)} | ${kib(v.bundleBytes)} | ${kib(v.mapBytes)} | ${mib(v.charmBytes)} | ${ms(v.load.nodeE0)} | ${ms(v.load.dispatch)} | ${ms(over)} | ${(v.load.dispatch / v.load.nodeE0).toFixed(2)}× | ${ms(v.load.noCache)} | ${ms(v.load.nodeMaps)} |`,
      );
    }
  }
  const compared = r.charms.filter((c) => c.baseline);
  if (compared.length > 0) {
    lines.push(
      '',
      '| charm | start-up over node -e 0: baseline | this checkout | saved | dispatch: this / baseline |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const c of compared) {
      const over = (v) => v.load.dispatch - v.load.nodeE0;
      lines.push(
        `| ${c.name} | ${ms(over(c.baseline))} | ${ms(over(c.plain))} | ${ms(over(c.baseline) - over(c.plain))} | ${(c.plain.load.dispatch / c.baseline.load.dispatch).toFixed(2)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
