#!/usr/bin/env node
// The xz decoder for grafana_dashboard's templates (base64 of xz, as cosl's LZMABase64 writes
// them): what each candidate adds to a charm bundle and to a hook's start-up. Each candidate is
// bundled as charm-pack bundles a charm (esbuild, CommonJS, node20, not minified) and run as a
// fresh process, interleaved with a baseline that parses the same dashboard from plain JSON;
// medians, and the difference. The dashboard (~14 KiB of JSON) is compressed by xz itself
// (`xz -3`, CRC64: cosl's preset).
//
//   node xz/run.mjs [--runs 30]
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
  console.log('Usage: node xz/run.mjs [--runs N]   (N runs per bundle; default 30)');
  process.exit(0);
}
const RUNS = Number(values.runs);

const dashboard = JSON.stringify({
  title: 'Bench',
  uid: 'bench',
  panels: Array.from({ length: 200 }, (_, i) => ({
    id: i,
    title: `panel ${i}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax
    datasource: '${prometheusds}',
    targets: [{ expr: `rate(http_requests_total{job="app-${i % 7}"}[5m])`, refId: 'A' }],
  })),
});
let xz;
try {
  xz = execFileSync('xz', ['--format=xz', '-3', '--check=crc64', '-c'], { input: dashboard });
} catch {
  console.error('bench/xz needs the xz command: apt-get install -y xz-utils');
  process.exit(1);
}
const content = xz.toString('base64');
const CHECK = `if (JSON.parse(text).panels.length !== 200) process.exit(1);`;

const CANDIDATES = {
  'plain JSON (baseline)': `const text = ${JSON.stringify(dashboard)}; ${CHECK}`,
  'xz-decompress 0.2.3, bundled, not called': `import { XzReadableStream } from 'xz-decompress';
globalThis.keep = XzReadableStream; const text = ${JSON.stringify(dashboard)}; ${CHECK}`,
  'xz-decompress 0.2.3 (chosen)': `import { XzReadableStream } from 'xz-decompress';
(async () => {
  const bytes = Buffer.from('${content}', 'base64');
  const input = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
  const reader = new XzReadableStream(input).getReader();
  const chunks = [];
  for (;;) { const { done, value } = await reader.read(); if (done) break; chunks.push(value); }
  const text = Buffer.concat(chunks).toString('utf8'); ${CHECK}
})();`,
  'xz-compat 1.2.10 (pure JS path)': `import { decodeXZ } from 'xz-compat';
(async () => {
  const text = (await decodeXZ(Buffer.from('${content}', 'base64'))).toString('utf8'); ${CHECK}
})();`,
};

// What each decoder adds to a bundle, measured apart from the payload: its code alone.
const CODE = {
  'xz-decompress 0.2.3 (chosen)': `import { XzReadableStream } from 'xz-decompress'; globalThis.keep = XzReadableStream;`,
  'xz-compat 1.2.10 (pure JS path)': `import { decodeXZ } from 'xz-compat'; globalThis.keep = decodeXZ;`,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// xz-compat otherwise tries to load (and npm-install) lzma-native, a native addon, at run time.
const env = { ...process.env, LZMA_NATIVE_DISABLE: '1', NODE_NO_WARNINGS: '1' };
const dir = await mkdtemp(join(tmpdir(), 'bench-xz-'));
try {
  const bundle = async (name, source) => {
    const entry = join(dir, `${name.replace(/\W+/g, '-')}.mjs`);
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
    return outfile;
  };
  const empty = (await stat(await bundle('empty', 'globalThis.keep = 1;'))).size;
  const code = {};
  for (const [name, source] of Object.entries(CODE)) {
    code[name] = (await stat(await bundle(`code ${name}`, source))).size - empty;
  }
  const bundles = {};
  for (const [name, source] of Object.entries(CANDIDATES)) {
    const outfile = await bundle(name, source);
    execFileSync(process.execPath, [outfile], { env }); // it runs, and decodes the dashboard
    bundles[name] = { outfile, times: [] };
  }
  console.log(
    `bench/xz: ${RUNS} interleaved runs of each bundle (Node ${process.version}); dashboard ${dashboard.length} B of JSON, ${xz.length} B of xz`,
  );
  for (let i = 0; i < RUNS; i++) {
    for (const b of Object.values(bundles)) {
      const t0 = process.hrtime.bigint();
      execFileSync(process.execPath, [b.outfile], { env });
      b.times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const base = bundles['plain JSON (baseline)'];
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    '| decoder | its code in the bundle | start + decode + parse, median | over the baseline |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const [name, b] of Object.entries(bundles)) {
    const ms = median(b.times);
    const size = code[name] ?? code[name.replace(', bundled, not called', ' (chosen)')];
    console.log(
      `| ${name} | ${size === undefined ? '' : kib(size)} | ${ms.toFixed(1)} ms | ${b === base ? '' : `${(ms - median(base.times)).toFixed(1)} ms`} |`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
