#!/usr/bin/env node
// Dispatch benchmark: the same small charm written with @charm-ts/ops (charm.ts) and with Python
// ops (charm.py), run side by side in one run, with the same stub hook tools and one real Pebble.
// Reports the median wall time per dispatch and the hook-tool spawns, as ratios; then the
// transport alone (transport.ts: the hook's three Pebble requests over @charm-ts/pebble, undici
// and node:http), each in a fresh process.
//
//   pnpm --filter @charm-ts/bench dispatch [-- --runs 20] [--baseline <checkout>]
//
// With --baseline, the same bench charm is also packed by another checkout of this repository
// (say main, in a temporary clone with `pnpm install && pnpm --filter @charm-ts/pack build`)
// and run in the same rotation: the `packed / baseline` ratio says whether a change made hooks
// slower.
//
// Needs: pebble (go install github.com/canonical/pebble/cmd/pebble@v1.32.1, or /root/go/bin),
// python3 (a venv with ops is made under ~/.cache/charm-ts/venv if missing), unzip, and
// tools/pack/dist/cli.js (pnpm --filter @charm-ts/pack build).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    baseline: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: node dispatch/run.mjs [--runs N] [--baseline <checkout>]\n' +
      '  --runs N              dispatches per charm per hook (default 15)\n' +
      '  --baseline <checkout> also pack bench/dispatch with that checkout (its tools/pack/dist\n' +
      '                        built) and run it in the same rotation',
  );
  process.exit(0);
}
const RUNS = Number(values.runs);
const OPS_VERSION = '3.9.0';
const VENV = join(homedir(), '.cache', 'charm-ts', 'venv');
const STUB = join(here, '..', '..', 'packages', 'ops', 'test', 'bin', 'hook-tool-stub');
const TOOLS = [
  'action-get',
  'application-version-set',
  'config-get',
  'goal-state',
  'is-leader',
  'juju-log',
  'network-get',
  'opened-ports',
  'relation-get',
  'relation-ids',
  'relation-list',
  'relation-set',
  'resource-get',
  'secret-get',
  'state-delete',
  'state-get',
  'state-set',
  'status-get',
  'status-set',
  'storage-get',
  'storage-list',
];

function which(bin, extra = []) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extra]) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return undefined;
}

function ensureVenv() {
  const python = join(VENV, 'bin', 'python');
  try {
    const v = execFileSync(python, ['-c', 'import ops; print(ops.__version__)'], {
      encoding: 'utf8',
    }).trim();
    return { python, version: v };
  } catch {
    console.log(`bench: installing ops ${OPS_VERSION} into ${VENV} …`);
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', `ops==${OPS_VERSION}`], {
      stdio: 'inherit',
    });
    return { python, version: OPS_VERSION };
  }
}

async function waitFor(path, ms) {
  const end = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`bench: ${path} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function run(cmd, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0)
        reject(new Error(`bench: ${cmd} ${args.join(' ')} exited ${code}:\n${stderr}`));
      else resolve(ms);
    });
  });
}

// As charm-pack builds pebble.cjs (tools/pack/src/bundle.ts): undici's HTTP/2 client cannot
// load node:http2 and takes its fallback; Pebble speaks HTTP/1.1.
const undiciWithoutHttp2 = {
  name: 'undici-without-http2',
  setup(b) {
    b.onResolve({ filter: /^(node:)?http2$/ }, (args) =>
      /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer)
        ? { path: 'http2', namespace: 'undici-without-http2' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'undici-without-http2' }, () => ({
      contents: "throw new Error('node:http2 is left out');",
      loader: 'js',
    }));
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const pebble = which('pebble', ['/root/go/bin']);
  if (!pebble) {
    console.error(
      'bench: pebble not found; install it: go install github.com/canonical/pebble/cmd/pebble@v1.32.1',
    );
    process.exit(1);
  }
  const { python, version: opsVersion } = ensureVenv();
  const tmp = await mkdtemp(join(tmpdir(), 'bench-dispatch-'));
  let daemon;
  try {
    // Stub hook tools, shared by both charms.
    const stubDir = join(tmp, 'stub');
    const bin = join(stubDir, 'bin');
    await mkdir(bin, { recursive: true });
    await mkdir(join(stubDir, 'answers'));
    for (const t of TOOLS) await symlink(STUB, join(bin, t));
    await writeFile(join(stubDir, 'answers', 'config-get'), '{"port":8080}\n');
    await writeFile(join(stubDir, 'answers', 'is-leader'), 'true\n');
    const log = join(stubDir, 'log');

    // The TypeScript charm, two layouts. 'ts': the charm bundle without @charm-ts/pebble, which
    // is bundled on its own (node_modules/@charm-ts/pebble) and so only read when a container is
    // used, run by this Node.js. 'packed': the .charm charm-pack writes (charm.cjs, pebble.cjs
    // apart, the embedded Node.js runtime, V8's compile cache), run as Juju runs it: ./dispatch.
    const bundleOptions = {
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      sourcesContent: false,
      minify: true,
      keepNames: true,
      logLevel: 'error',
    };
    const tsDir = join(tmp, 'ts-charm');
    const pebbleDir = join(tsDir, 'node_modules', '@charm-ts', 'pebble');
    await build({
      ...bundleOptions,
      entryPoints: [join(here, 'charm.ts')],
      outfile: join(tsDir, 'charm.js'),
      // As charm-pack: only the client entry is apart; `@charm-ts/pebble/errors` (what ops
      // re-exports) is bundled into the charm.
      plugins: [
        {
          name: 'pebble-apart',
          setup(b) {
            b.onResolve({ filter: /^@charm-ts\/pebble$/ }, (args) => ({
              path: args.path,
              external: true,
            }));
          },
        },
      ],
    });
    await build({
      ...bundleOptions,
      entryPoints: [join(here, '..', '..', 'packages', 'pebble', 'src', 'index.ts')],
      outfile: join(pebbleDir, 'index.js'),
      plugins: [undiciWithoutHttp2],
    });
    await writeFile(
      join(pebbleDir, 'package.json'),
      '{"name":"@charm-ts/pebble","main":"index.js"}\n',
    );
    const packedDir = join(tmp, 'ts-packed');
    execFileSync(
      process.execPath,
      [join(root, 'tools/pack/dist/cli.js'), here, '--entry', 'charm.ts', '--arch', 'amd64'].concat(
        ['--out', join(tmp, 'packed-dist'), '--no-link', '-q'],
      ),
      { stdio: 'inherit' },
    );
    execFileSync(
      'unzip',
      ['-q', join(tmp, 'packed-dist', 'bench_ubuntu-22.04-amd64.charm')].concat(['-d', packedDir]),
    );
    // The same charm packed by the baseline checkout, if any.
    const baselineDir = join(tmp, 'baseline-packed');
    if (values.baseline) {
      const other = values.baseline;
      execFileSync(
        process.execPath,
        [join(other, 'tools/pack/dist/cli.js'), join(other, 'bench', 'dispatch')].concat(
          ['--entry', 'charm.ts', '--arch', 'amd64', '--out', join(tmp, 'baseline-dist')],
          ['--no-link', '-q'],
        ),
        { stdio: 'inherit' },
      );
      execFileSync('unzip', [
        '-q',
        join(tmp, 'baseline-dist', 'bench_ubuntu-22.04-amd64.charm'),
        '-d',
        baselineDir,
      ]);
    }
    // The transport rows' program; undici resolves from @charm-ts/pebble, which depends on it.
    await build({
      ...bundleOptions,
      entryPoints: [join(here, 'transport.ts')],
      outfile: join(tmp, 'transport.cjs'),
      nodePaths: [join(root, 'packages', 'pebble', 'node_modules')],
      plugins: [undiciWithoutHttp2],
    });
    // The Python charm, laid out as charmcraft does.
    const pyDir = join(tmp, 'py-charm');
    await mkdir(join(pyDir, 'src'), { recursive: true });
    await copyFile(join(here, 'charm.py'), join(pyDir, 'src', 'charm.py'));
    await copyFile(join(here, 'metadata.yaml'), join(pyDir, 'metadata.yaml'));
    await copyFile(join(here, 'config.yaml'), join(pyDir, 'config.yaml'));

    // One real Pebble, its socket where both charms look for container 'web'.
    const containers = join(tmp, 'containers');
    const socket = join(containers, 'web', 'pebble.socket');
    await mkdir(join(containers, 'web'), { recursive: true });
    daemon = spawn(pebble, ['run', '--create-dirs'], {
      env: { ...process.env, PEBBLE: join(tmp, 'pebble'), PEBBLE_SOCKET: socket },
      stdio: 'ignore',
      detached: true,
    });
    await waitFor(socket, 10_000);

    const baseEnv = {
      PATH: `${bin}:/usr/bin:/bin`,
      STUB_DIR: stubDir,
      LANG: 'C.UTF-8',
      JUJU_UNIT_NAME: 'bench/0',
      JUJU_MODEL_NAME: 'bench',
      JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
      JUJU_VERSION: '3.6.4',
      CHARM_TS_CONTAINERS_DIR: containers,
    };
    const charms = {
      ts: { cmd: process.execPath, args: ['charm.js'], cwd: tsDir },
      packed: { cmd: './dispatch', args: [], cwd: packedDir },
      py: { cmd: python, args: ['src/charm.py'], cwd: pyDir },
      ...(values.baseline && { baseline: { cmd: './dispatch', args: [], cwd: baselineDir } }),
    };
    const dispatch = async (which, hook) => {
      const c = charms[which];
      const env = {
        ...baseEnv,
        JUJU_DISPATCH_PATH: `hooks/${hook}`,
        JUJU_HOOK_NAME: hook,
        JUJU_CHARM_DIR: c.cwd,
      };
      await writeFile(log, '');
      const ms = await run(c.cmd, c.args, env, c.cwd);
      const calls = (await readFile(log, 'utf8'))
        .split('\x1d')
        .filter(Boolean)
        .map((r) => r.split('\x1e')[0]);
      return { ms, calls };
    };

    const hooks = ['config-changed', 'update-status'];
    console.log(
      `bench: ${RUNS} dispatches per charm per hook, alternating; Node ${process.version}, ops ${opsVersion}`,
    );
    const names = Object.keys(charms);
    for (const which of names) for (const hook of hooks) await dispatch(which, hook); // warm-up
    const results = {};
    for (const hook of hooks) {
      for (const which of names) results[`${which} ${hook}`] = { ms: [], calls: [] };
      for (let i = 0; i < RUNS; i++) {
        // Rotate the order so no charm always runs first (or right after another).
        for (const which of names.map((_, k) => names[(k + i) % names.length])) {
          const r = await dispatch(which, hook);
          results[`${which} ${hook}`].ms.push(r.ms);
          results[`${which} ${hook}`].calls = r.calls;
        }
      }
    }
    const base = { node: [], runtime: [], python: [] };
    const runtimeNode = join(packedDir, 'runtime', 'node');
    for (let i = 0; i < RUNS; i++) {
      base.node.push(await run(process.execPath, ['-e', '0'], {}, tmp));
      base.runtime.push(await run(runtimeNode, ['-e', '0'], {}, tmp));
      base.python.push(await run(python, ['-c', 'pass'], {}, tmp));
    }
    // The transport alone: the same three requests, a fresh process each, interleaved.
    const transports = ['node -e 0', 'pebble', 'undici', 'node-http'];
    const transport = Object.fromEntries(transports.map((t) => [t, []]));
    for (let i = 0; i < RUNS + 1; i++) {
      for (const t of transports.map((_, k) => transports[(k + i) % transports.length])) {
        const args = t === 'node -e 0' ? ['-e', '0'] : [join(tmp, 'transport.cjs'), t, socket];
        const ms = await run(process.execPath, args, {}, tmp);
        if (i > 0) transport[t].push(ms);
      }
    }

    const fmt = (x) => `${x.toFixed(1)} ms`;
    console.log(
      `\n| hook | @charm-ts/ops (Node ${process.version}) | packed: ./dispatch (embedded Node) | Python ops | TS / Python | packed / Python |`,
    );
    console.log('|---|---|---|---|---|---|');
    for (const hook of hooks) {
      const [a, b, c] = ['ts', 'packed', 'py'].map((w) => median(results[`${w} ${hook}`].ms));
      console.log(
        `| ${hook}: wall, median | ${fmt(a)} | ${fmt(b)} | ${fmt(c)} | ${(a / c).toFixed(2)} | ${(b / c).toFixed(2)} |`,
      );
      const [x, y, z] = ['ts', 'packed', 'py'].map((w) => results[`${w} ${hook}`].calls.length);
      console.log(`| ${hook}: hook-tool spawns | ${x} | ${y} | ${z} | | |`);
    }
    if (values.baseline) {
      console.log(`\n| hook (packed) | this checkout | baseline (${values.baseline}) | ratio |`);
      console.log('|---|---|---|---|');
      for (const hook of hooks) {
        const [a, b] = ['packed', 'baseline'].map((w) => median(results[`${w} ${hook}`].ms));
        const [x, y] = ['packed', 'baseline'].map((w) => results[`${w} ${hook}`].calls.length);
        console.log(
          `| ${hook} | ${fmt(a)} (${x} spawns) | ${fmt(b)} (${y} spawns) | ${(a / b).toFixed(2)} |`,
        );
      }
      console.log('');
    }
    const n = median(base.node);
    const r = median(base.runtime);
    const p = median(base.python);
    console.log(
      `| baseline: \`node -e 0\` / \`runtime/node -e 0\` vs \`python -c pass\` | ${fmt(n)} | ${fmt(r)} | ${fmt(p)} | ${(n / p).toFixed(2)} | ${(r / p).toFixed(2)} |`,
    );
    const e0 = median(transport['node -e 0']);
    console.log(
      `\ntransport alone (add layer, replan, wait; Node ${process.version}, a fresh process each):\n`,
    );
    console.log('| transport | wall, median | over `node -e 0` | ratio to node:http |');
    console.log('|---|---|---|---|');
    const h = median(transport['node-http']);
    for (const t of transports) {
      const m = median(transport[t]);
      console.log(
        `| ${t} | ${fmt(m)} | ${t === 'node -e 0' ? '' : fmt(m - e0)} | ${t === 'node -e 0' ? '' : (m / h).toFixed(2)} |`,
      );
    }
    console.log('\nspawns per dispatch (steady state):');
    for (const [k, v] of Object.entries(results))
      console.log(`  ${k}: ${v.calls.join(', ') || '(none)'}`);
  } finally {
    if (daemon?.pid) {
      try {
        process.kill(-daemon.pid, 'SIGTERM');
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 200));
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
