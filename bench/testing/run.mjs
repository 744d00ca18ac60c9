#!/usr/bin/env node
// Testing benchmark: the same five state-transition tests of one two-container charm with
// @charm-ts/testing (charm.ts, scenarios.ts) and with Python ops[testing] (charm.py,
// scenarios.py), run side by side in one run, alternating rounds. Reports the median time per
// test and the ratio Python / TypeScript.
//
//   pnpm --filter @charm-ts/bench testing [-- --runs 50 --rounds 3]
//
// Needs python3; a venv with ops[testing] is made under ~/.cache/charm-ts/venv-testing if missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { scriptArgs } from '../script-args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    runs: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: node testing/run.mjs [--runs N] [--rounds R]   (N runs per test per round; R alternating rounds)',
  );
  process.exit(0);
}
const RUNS = String(Number(values.runs));
const ROUNDS = Number(values.rounds);
const VENV = join(homedir(), '.cache', 'charm-ts', 'venv-testing');
const PYTHON = join(VENV, 'bin', 'python');

if (!existsSync(PYTHON)) {
  console.error(`creating ${VENV} with ops[testing]==3.9.0 …`);
  execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '-q', 'ops[testing]==3.9.0'], {
    stdio: 'inherit',
  });
}

const bundle = join(here, '..', 'dist', 'testing-bench.mjs');
await build({
  entryPoints: [join(here, 'main.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // undici is CommonJS: give the ESM bundle a require.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const ts = [];
const py = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.error(`round ${round}/${ROUNDS}: @charm-ts/testing …`);
  ts.push(JSON.parse(execFileSync(process.execPath, [bundle, RUNS], { encoding: 'utf8' })));
  console.error(`round ${round}/${ROUNDS}: ops[testing] …`);
  py.push(
    JSON.parse(execFileSync(PYTHON, [join(here, 'scenarios.py'), RUNS], { encoding: 'utf8' })),
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rows = Object.keys(ts[0]).map((name) => {
  const t = median(ts.map((r) => r[name]));
  const p = median(py.map((r) => r[name]));
  return { name, t, p, ratio: p / t };
});
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('test', 32)}${pad('charm-ts ms', 14)}${pad('ops[testing] ms', 17)}ratio`);
for (const r of rows) {
  console.log(
    `${pad(r.name, 32)}${pad(r.t.toFixed(3), 14)}${pad(r.p.toFixed(3), 17)}${r.ratio.toFixed(1)}×`,
  );
}
const geo = Math.exp(rows.reduce((a, r) => a + Math.log(r.ratio), 0) / rows.length);
console.log(
  `geometric mean ratio: ${geo.toFixed(1)}× (median of ${ROUNDS} rounds × ${RUNS} runs per test)`,
);
