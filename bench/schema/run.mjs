#!/usr/bin/env node
// Schema libraries for typed relation data: what each adds to a charm bundle and to a hook's
// start-up. The same three ingress v2 bags (the provider's app bag, the requirer's app and unit
// bags) are declared and parsed with each library, bundled as charm-pack bundles a charm
// (esbuild, CommonJS, node20, not minified), and each bundle is run as a fresh process,
// interleaved with a baseline that checks the bags by hand; medians, and the difference.
//
//   pnpm --filter @charm-ts/bench schema [-- --runs 30]
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { scriptArgs } from '../script-args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  args: scriptArgs(),
  options: { runs: { type: 'string', default: '30' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('Usage: node schema/run.mjs [--runs N]   (N runs per bundle; default 30)');
  process.exit(0);
}
const RUNS = Number(values.runs);

const BAGS = `
const bags = {
  provider: { ingress: JSON.parse('{"url":"http://traefik.example/m-app"}') },
  requirer: { model: 'm', name: 'app', port: 8080, 'strip-prefix': false, scheme: 'http' },
  unit: { host: 'app-0.app-endpoints.m.svc.cluster.local', ip: '10.1.2.3' },
};`;

const CANDIDATES = {
  'by hand (baseline)': `${BAGS}
const str = (v) => { if (typeof v !== 'string') throw new Error('not a string'); return v; };
const out = [
  { ingress: { url: new URL(str(bags.provider.ingress.url)).href } },
  { model: str(bags.requirer.model), name: str(bags.requirer.name), port: bags.requirer.port },
  { host: str(bags.unit.host), ip: str(bags.unit.ip) },
];
if (out.length !== 3) process.exit(1);`,
  'valibot 1.5': `import * as v from 'valibot';${BAGS}
const Provider = v.object({ ingress: v.object({ url: v.pipe(v.string(), v.url()) }) });
const Requirer = v.object({
  model: v.string(), name: v.string(), port: v.pipe(v.number(), v.integer()),
  'strip-prefix': v.optional(v.boolean()), 'redirect-https': v.optional(v.boolean()),
  scheme: v.optional(v.picklist(['http', 'https'])),
});
const Unit = v.object({ host: v.string(), ip: v.optional(v.string()) });
const out = [v.parse(Provider, bags.provider), v.parse(Requirer, bags.requirer), v.parse(Unit, bags.unit)];
if (out.length !== 3) process.exit(1);`,
  'zod 4.6 (zod/mini)': `import * as z from 'zod/mini';${BAGS}
const Provider = z.object({ ingress: z.object({ url: z.url() }) });
const Requirer = z.object({
  model: z.string(), name: z.string(), port: z.int(),
  'strip-prefix': z.optional(z.boolean()), 'redirect-https': z.optional(z.boolean()),
  scheme: z.optional(z.enum(['http', 'https'])),
});
const Unit = z.object({ host: z.string(), ip: z.optional(z.string()) });
const out = [Provider.parse(bags.provider), Requirer.parse(bags.requirer), Unit.parse(bags.unit)];
if (out.length !== 3) process.exit(1);`,
  'zod 4.6 (classic)': `import { z } from 'zod';${BAGS}
const Provider = z.object({ ingress: z.object({ url: z.url() }) });
const Requirer = z.object({
  model: z.string(), name: z.string(), port: z.int(),
  'strip-prefix': z.boolean().optional(), 'redirect-https': z.boolean().optional(),
  scheme: z.enum(['http', 'https']).optional(),
});
const Unit = z.object({ host: z.string(), ip: z.string().optional() });
const out = [Provider.parse(bags.provider), Requirer.parse(bags.requirer), Unit.parse(bags.unit)];
if (out.length !== 3) process.exit(1);`,
  'arktype 2.2': `import { type } from 'arktype';${BAGS}
const Provider = type({ ingress: { url: 'string.url' } });
const Requirer = type({
  model: 'string', name: 'string', port: 'number.integer',
  'strip-prefix?': 'boolean', 'redirect-https?': 'boolean', 'scheme?': "'http' | 'https'",
});
const Unit = type({ host: 'string', 'ip?': 'string' });
const out = [Provider.assert(bags.provider), Requirer.assert(bags.requirer), Unit.assert(bags.unit)];
if (out.length !== 3) process.exit(1);`,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = await mkdtemp(join(tmpdir(), 'bench-schema-'));
try {
  const bundles = {};
  for (const [name, source] of Object.entries(CANDIDATES)) {
    const entry = join(dir, `${Object.keys(bundles).length}.mjs`);
    await writeFile(entry, source);
    const outfile = entry.replace(/\.mjs$/, '.cjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      nodePaths: [join(here, '..', 'node_modules')],
      logLevel: 'error',
    });
    execFileSync(process.execPath, [outfile]); // it runs, and parses the bags
    bundles[name] = { outfile, bytes: (await stat(outfile)).size, times: [] };
  }
  console.log(`bench/schema: ${RUNS} interleaved runs of each bundle (Node ${process.version})`);
  for (let i = 0; i < RUNS; i++) {
    for (const b of Object.values(bundles)) {
      const t0 = process.hrtime.bigint();
      execFileSync(process.execPath, [b.outfile]);
      b.times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const base = bundles['by hand (baseline)'];
  console.log('| library | bundle | + bundle | start + 3 parses, median | + over baseline |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, b] of Object.entries(bundles)) {
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
    const ms = median(b.times);
    console.log(
      `| ${name} | ${kib(b.bytes)} | ${b === base ? '' : kib(b.bytes - base.bytes)} | ${ms.toFixed(1)} ms | ${b === base ? '' : `${(ms - median(base.times)).toFixed(1)} ms`} |`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
