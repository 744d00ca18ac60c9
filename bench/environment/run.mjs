#!/usr/bin/env node
// The gunicorn charm's environment: what rendering the `environment` template and reading the
// result costs a hook, with this checkout's charms/gunicorn/src/environment.ts and, with
// `--baseline <checkout>`, with that checkout's. Each is bundled as charm-pack bundles a charm
// (esbuild, CommonJS, node20, not minified) with a small entry that renders one template, and
// each bundle runs as a fresh process (with V8's compile cache, as a unit's dispatch runs it),
// interleaved with `node -e 0`; medians.
//
//   cd bench && node environment/run.mjs --runs 30 --baseline /tmp/main-clone [--node PATH]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { scriptArgs } from '../script-args.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    runs: { type: 'string', default: '30' },
    baseline: { type: 'string' },
    node: { type: 'string', default: process.execPath },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: node environment/run.mjs [--runs N] [--baseline CHECKOUT] [--node PATH]\n' +
      '  N runs per bundle (default 30); CHECKOUT: another checkout of the repository, installed;\n' +
      '  PATH: the Node.js to run the bundles with (default this one; a charm runs its embedded 24).',
  );
  process.exit(0);
}
const RUNS = Number(values.runs);

// What templates usually render to (plain `NAME: value` lines, a quoted value among them), and
// one that needs a YAML parser (a comment after a value), as a user's template may.
const CONTEXT = {
  pg: {
    db_uri: 'postgresql://relation_id_7:pw%26x%20y@10.1.0.5:5432/gunicorn-k8s',
    host: '10.1.0.5',
    conn_str: "dbname=gunicorn-k8s host=10.1.0.5 password='pw&x y' port=5432 user=relation_id_7",
  },
};
const TEMPLATES = {
  'NAME: value lines':
    'DB_URI: {{pg.db_uri}}\nPGHOST: {{pg.host}}\nCONN: "{{pg.conn_str}}"\nDEBUG: yes\nWORKERS: 4',
  'YAML (a comment)': 'DB_URI: {{pg.db_uri}}  # the primary\nWORKERS: 4',
};

const checkouts = { this: root };
if (values.baseline) {
  const base = resolve(values.baseline);
  if (!existsSync(join(base, 'charms/gunicorn/node_modules'))) {
    throw new Error(`--baseline ${base}: charms/gunicorn has no node_modules (pnpm install there)`);
  }
  checkouts.baseline = base;
}

const work = mkdtempSync(join(tmpdir(), 'bench-environment-'));
try {
  const bundles = {};
  for (const [checkout, dir] of Object.entries(checkouts)) {
    for (const [name, template] of Object.entries(TEMPLATES)) {
      const entry = join(work, `${checkout}-${Object.keys(bundles).length}.ts`);
      writeFileSync(
        entry,
        `import { renderEnvironment } from ${JSON.stringify(join(dir, 'charms/gunicorn/src/environment.ts'))};
Promise.resolve(renderEnvironment(${JSON.stringify(template)}, ${JSON.stringify(CONTEXT)}, {
  endpoints: ['influxdb', 'ingress', 'metrics-endpoint', 'pg'], related: new Set(['pg']),
})).then((r) => { if (!r.ok || Object.keys(r.environment).length < 2) process.exit(3); });
`,
      );
      const outfile = entry.replace(/\.ts$/, '.cjs');
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        logLevel: 'error',
        absWorkingDir: join(dir, 'charms/gunicorn'),
      });
      bundles[`${name} | ${checkout}`] = outfile;
    }
  }
  const cases = [['node -e 0', ['-e', '0']], ...Object.entries(bundles).map(([k, f]) => [k, [f]])];
  const samples = {};
  for (let i = 0; i < RUNS + 2; i++) {
    for (const [key, args] of cases) {
      const start = process.hrtime.bigint();
      // V8's compile cache, as charm-pack's dispatch sets it (warm after the warm-up rounds).
      const cache = join(work, `cache-${cases.findIndex(([k]) => k === key)}`);
      const env = { ...process.env, NODE_COMPILE_CACHE: cache };
      const r = spawnSync(values.node, args, { stdio: 'ignore', env });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${key} exited ${r.status}`);
      if (i < 2) continue; // two warm-up rounds (they fill the compile cache)
      samples[key] ??= [];
      samples[key].push(ms);
    }
  }
  const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const e0 = median(samples['node -e 0']);
  const out = [
    `bench/environment: ${RUNS} interleaved runs each, ${values.node}; node -e 0: ${e0.toFixed(1)} ms`,
    '',
    '| rendered text | checkout | wall, median | over node -e 0 | vs baseline |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const name of Object.keys(TEMPLATES)) {
    const base = samples[`${name} | baseline`];
    for (const checkout of Object.keys(checkouts)) {
      const m = median(samples[`${name} | ${checkout}`]);
      const ratio = base ? (m / median(base)).toFixed(2) : '';
      out.push(
        `| ${name} | ${checkout} | ${m.toFixed(1)} ms | ${(m - e0).toFixed(1)} ms | ${ratio} |`,
      );
    }
  }
  console.log(out.join('\n'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
