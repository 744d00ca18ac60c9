#!/usr/bin/env node
// charm-sim benchmark: "deploy snappass → all active" with this checkout's charm-sim and packed
// snappass (its hook tools the compiled client), the same with the Node.js hook-tool client
// (CHARM_SIM_HOOK_TOOL=node), and, with --baseline, another checkout's charm-sim and snappass,
// alternating, in one run. With --e2e, the whole end-to-end suite (every e2e/ test file) too,
// the same variants one after the other. Reports medians and ratios to this checkout.
//
//   node sim/run.mjs [--runs 5] [--units 1] [--baseline <checkout>] [--e2e] [--e2e-runs 1]
//
// Needs root and what charm-sim needs (bash scripts/install-test-deps.sh), and `pnpm build` in
// each checkout (tools/sim/dist and dist/snappass_ubuntu-22.04-amd64.charm).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { scriptArgs } from '../script-args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    runs: { type: 'string', default: '5' },
    units: { type: 'string', default: '1' },
    baseline: { type: 'string' },
    e2e: { type: 'boolean', default: false },
    'e2e-runs': { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: node sim/run.mjs [--runs N] [--units N] [--baseline <checkout>] [--e2e] [--e2e-runs N]\n' +
      '  --runs N              deploys per variant, alternating (default 5)\n' +
      '  --units N             units of snappass per deploy (default 1)\n' +
      '  --baseline <checkout> also another checkout (pnpm build done in it), e.g. main\n' +
      '  --e2e                 also the whole end-to-end suite per variant (minutes each)\n' +
      '  --e2e-runs N          end-to-end suite runs per variant (default 1)',
  );
  process.exit(0);
}
const positive = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: --${name} expects a whole number ≥ 1, got ${values[name]}`);
    process.exit(2);
  }
  return n;
};
const RUNS = positive('runs');
const UNITS = positive('units');
const E2E_RUNS = positive('e2e-runs');

const checkout = (dir) => {
  const cli = join(dir, 'tools', 'sim', 'dist', 'cli.js');
  const charm = join(dir, 'dist', 'snappass_ubuntu-22.04-amd64.charm');
  for (const file of [cli, charm]) {
    if (!existsSync(file)) {
      console.error(`bench: ${file} is missing: run pnpm install && pnpm build in ${dir}`);
      process.exit(1);
    }
  }
  return { dir, cli, charm };
};
const self = checkout(root);
const variants = {
  this: { ...self, env: {} },
  'this, Node.js hook tools': { ...self, env: { CHARM_SIM_HOOK_TOOL: 'node' } },
  ...(values.baseline && { baseline: { ...checkout(resolve(values.baseline)), env: {} } }),
};
const names = Object.keys(variants);

function timed(cmd, args, options) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => {
      output += b;
    });
    child.stderr.on('data', (b) => {
      output += b;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      done({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, output });
    });
  });
}

const sim = (v, stateDir, ...args) =>
  execFileSync(process.execPath, [v.cli, '--state-dir', stateDir, ...args], {
    env: { ...process.env, ...v.env },
    encoding: 'utf8',
  });

/** One deploy of snappass into a fresh state directory; its wall time, checked all active. */
async function deployOnce(name) {
  const v = variants[name];
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-sim-'));
  try {
    const args = [v.cli, '--state-dir', stateDir, 'deploy', v.charm, '-n', String(UNITS)];
    const { ms, code, output } = await timed(process.execPath, args, {
      env: { ...process.env, ...v.env },
    });
    if (code !== 0) throw new Error(`bench: deploy (${name}) exited ${code}:\n${output}`);
    const status = JSON.parse(sim(v, stateDir, 'status', '--format', 'json'));
    const units = status.units ?? [];
    const active = units.filter((u) => u.workload === 'active' && u.queued === 0);
    if (units.length !== UNITS || active.length !== UNITS) {
      throw new Error(
        `bench: after deploy (${name}), not all active: ${JSON.stringify(units.map((u) => [u.name, u.workload, u.message]))}`,
      );
    }
    return ms;
  } finally {
    try {
      sim(v, stateDir, 'destroy', '--force');
    } catch {}
    await rm(stateDir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) =>
  `${(Math.min(...xs) / 1000).toFixed(1)}–${(Math.max(...xs) / 1000).toFixed(1)} s`;

console.log(
  `bench: deploy snappass (${UNITS} unit${UNITS > 1 ? 's' : ''}) → all active, ${RUNS} runs per variant, alternating; load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
const deploys = Object.fromEntries(names.map((n) => [n, []]));
await deployOnce(names[0]); // warm-up: page cache, the charm's first unpack
for (let i = 0; i < RUNS; i++) {
  for (const name of names.map((_, k) => names[(k + i) % names.length])) {
    const ms = await deployOnce(name);
    deploys[name].push(ms);
    console.log(`  ${name}: ${(ms / 1000).toFixed(2)} s`);
  }
}
const base = median(deploys.this);
console.log('\n| charm-sim, snappass | deploy → all active, median | range | ratio to this |');
console.log('|---|---|---|---|');
for (const name of names) {
  const m = median(deploys[name]);
  console.log(
    `| ${name} | ${(m / 1000).toFixed(2)} s | ${range(deploys[name])} | ${(m / base).toFixed(2)} |`,
  );
}

if (values.e2e) {
  console.log(
    `\nbench: the whole end-to-end suite (vitest run e2e/), ${E2E_RUNS} run(s) per variant`,
  );
  const suites = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < E2E_RUNS; i++) {
    for (const name of names) {
      const v = variants[name];
      const { ms, code, output } = await timed('pnpm', ['vitest', 'run', 'e2e/'], {
        cwd: v.dir,
        env: { ...process.env, ...v.env, CI: 'true' },
      });
      const counts = /Tests\s+(.*\(\d+\))/.exec(stripVTControlCharacters(output))?.[1] ?? '?';
      suites[name].push({ ms, code, counts });
      console.log(`  ${name}: ${(ms / 1000).toFixed(1)} s, exit ${code}, tests ${counts}`);
    }
  }
  const e2eBase = median(suites.this.map((r) => r.ms));
  console.log('\n| end-to-end suite | wall, median | range | ratio to this | tests (last run) |');
  console.log('|---|---|---|---|---|');
  for (const name of names) {
    const ms = suites[name].map((r) => r.ms);
    const last = suites[name].at(-1);
    console.log(
      `| ${name} | ${(median(ms) / 1000).toFixed(1)} s | ${range(ms)} | ${(median(ms) / e2eBase).toFixed(2)} | ${last.counts}${last.code === 0 ? '' : ` (exit ${last.code})`} |`,
    );
  }
}
