#!/usr/bin/env node
// Dispatch benchmark: the same small charm written with @charm-ts/ops (charm.ts) and with Python
// ops (charm.py), run side by side in one run, with the same stub hook tools and one real Pebble,
// and the floor: a fresh process of the embedded Node.js doing only the hook's three Pebble
// requests over node:http (transport/node-http.ts). Reports per variant the median wall time,
// the mean CPU time (the process and what it spawned) and the hook-tool spawns, as ratios; then
// the transports alone (@charm-ts/pebble, undici, node:http), a fresh process each.
//
//   pnpm --filter @charm-ts/bench dispatch -- [--runs 20] [--baseline <checkout>] [--snapshot]
//
// With --baseline, the same bench charm is also packed by another checkout of this repository
// (say main, in a temporary clone with `pnpm install && pnpm --filter @charm-ts/pack build`)
// and run in the same rotation: the `packed / baseline` ratio says whether a change made hooks
// slower. With --snapshot, the packed charm also runs from a V8 startup snapshot of itself
// (snapshot-entry.ts, built with the embedded Node.js's --build-snapshot), with and without
// --no-rehash-snapshot.
//
// Needs: pebble (go install github.com/canonical/pebble/cmd/pebble@v1.32.1, or /root/go/bin),
// python3 (a venv with ops is made under ~/.cache/charm-ts/venv if missing), unzip, and
// tools/pack/dist/cli.js (pnpm --filter @charm-ts/pack build).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { scriptArgs } from '../script-args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    runs: { type: 'string', default: '15' },
    baseline: { type: 'string' },
    snapshot: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: node dispatch/run.mjs [--runs N] [--baseline <checkout>] [--snapshot]\n' +
      '  --runs N              dispatches per variant per hook (default 15)\n' +
      '  --baseline <checkout> also pack bench/dispatch with that checkout (its tools/pack/dist\n' +
      '                        built) and run it in the same rotation\n' +
      '  --snapshot            also run the packed charm from a V8 startup snapshot of itself',
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

/** CPU time (user + system) of this process's reaped children so far, in ms (/proc/self/stat). */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of stat(5): 13 and 14 after the command name.
  return (Number(fields[13]) + Number(fields[14])) * (1000 / CLOCK_TICKS);
}
const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Runs a command to its end; its wall time and the CPU time of it and all it spawned. */
function run(cmd, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuMs();
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
      else resolve({ ms, cpu: childrenCpuMs() - cpuBefore });
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
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

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
    const runtimeNode = join(packedDir, 'runtime', 'node');
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
    // The packed charm in a V8 startup snapshot: the whole charm in one minified bundle (a
    // snapshot holds one script), evaluated by the embedded Node.js at build time.
    const snapshotBlob = join(packedDir, 'charm.snapshot.blob');
    if (values.snapshot) {
      const entry = join(tmp, 'snapshot-entry.cjs');
      await build({
        ...bundleOptions,
        sourcemap: false,
        entryPoints: [join(here, 'snapshot-entry.ts')],
        outfile: entry,
        nodePaths: [join(root, 'packages', 'pebble', 'node_modules')],
        plugins: [undiciWithoutHttp2],
      });
      execFileSync(runtimeNode, ['--snapshot-blob', snapshotBlob, '--build-snapshot', entry], {
        cwd: tmp,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    }
    // The transports, one program each (transport/*.ts); undici resolves from @charm-ts/pebble.
    const transports = ['pebble', 'undici', 'node-http'];
    for (const t of transports) {
      await build({
        ...bundleOptions,
        sourcemap: false,
        entryPoints: [join(here, 'transport', `${t}.ts`)],
        outfile: join(tmp, `transport-${t}.cjs`),
        nodePaths: [join(root, 'packages', 'pebble', 'node_modules')],
        plugins: [undiciWithoutHttp2],
      });
    }
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
    // Every program of the embedded runtime gets V8's compile cache, as ./dispatch does.
    const compileCache = { NODE_COMPILE_CACHE: join(tmp, 'compile-cache') };
    const variants = {
      '@charm-ts/ops, host Node.js': { cmd: process.execPath, args: ['charm.js'], cwd: tsDir },
      'packed: ./dispatch': { cmd: './dispatch', args: [], cwd: packedDir },
      ...(values.baseline && {
        'baseline packed: ./dispatch': { cmd: './dispatch', args: [], cwd: baselineDir },
      }),
      ...(values.snapshot && {
        'packed, from a snapshot': {
          cmd: runtimeNode,
          args: ['--snapshot-blob', snapshotBlob],
          cwd: packedDir,
        },
        'packed, snapshot, --no-rehash-snapshot': {
          cmd: runtimeNode,
          args: ['--no-rehash-snapshot', '--snapshot-blob', snapshotBlob],
          cwd: packedDir,
        },
      }),
      'Python ops': { cmd: python, args: ['src/charm.py'], cwd: pyDir },
      // The floor: only the three requests, node:http, the embedded runtime (config-changed).
      'floor: node:http, embedded Node.js': {
        cmd: runtimeNode,
        args: [join(tmp, 'transport-node-http.cjs'), socket],
        cwd: tmp,
        env: compileCache,
        floor: true,
      },
    };
    const dispatch = async (name, hook) => {
      const v = variants[name];
      const env = {
        ...baseEnv,
        ...v.env,
        JUJU_DISPATCH_PATH: `hooks/${hook}`,
        JUJU_HOOK_NAME: hook,
        JUJU_CHARM_DIR: v.cwd,
      };
      await writeFile(log, '');
      const r = await run(v.cmd, v.args, env, v.cwd);
      const calls = (await readFile(log, 'utf8'))
        .split('\x1d')
        .filter(Boolean)
        .map((line) => line.split('\x1e')[0]);
      return { ...r, calls };
    };

    const hooks = ['config-changed', 'update-status'];
    console.log(
      `bench: ${RUNS} dispatches per variant per hook, alternating; Node ${process.version}, ops ${opsVersion}, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    const names = (hook) =>
      Object.keys(variants).filter((n) => hook === 'config-changed' || !variants[n].floor);
    for (const hook of hooks) for (const name of names(hook)) await dispatch(name, hook); // warm-up
    const results = {};
    for (const hook of hooks) {
      const these = names(hook);
      for (const name of these) results[`${name} ${hook}`] = { ms: [], cpu: [], calls: [] };
      for (let i = 0; i < RUNS; i++) {
        // Rotate the order so no variant always runs first (or right after another).
        for (const name of these.map((_, k) => these[(k + i) % these.length])) {
          const r = await dispatch(name, hook);
          const into = results[`${name} ${hook}`];
          into.ms.push(r.ms);
          into.cpu.push(r.cpu);
          into.calls = r.calls;
        }
      }
    }
    const base = { node: [], runtime: [], python: [] };
    for (let i = 0; i < RUNS; i++) {
      base.node.push((await run(process.execPath, ['-e', '0'], {}, tmp)).ms);
      base.runtime.push((await run(runtimeNode, ['-e', '0'], {}, tmp)).ms);
      base.python.push((await run(python, ['-c', 'pass'], {}, tmp)).ms);
    }
    // The transports alone: the same three requests, a fresh process each, interleaved.
    const transportRuns = ['runtime/node -e 0', ...transports];
    const transport = Object.fromEntries(transportRuns.map((t) => [t, { ms: [], cpu: [] }]));
    for (let i = 0; i < RUNS + 1; i++) {
      for (const t of transportRuns.map((_, k) => transportRuns[(k + i) % transportRuns.length])) {
        const args =
          t === 'runtime/node -e 0' ? ['-e', '0'] : [join(tmp, `transport-${t}.cjs`), socket];
        const r = await run(runtimeNode, args, compileCache, tmp);
        if (i > 0) {
          transport[t].ms.push(r.ms);
          transport[t].cpu.push(r.cpu);
        }
      }
    }

    const fmt = (x) => `${x.toFixed(1)} ms`;
    for (const hook of hooks) {
      const py = median(results[`Python ops ${hook}`].ms);
      const floorKey = `floor: node:http, embedded Node.js ${hook}`;
      const floor = results[floorKey] && median(results[floorKey].ms);
      console.log(
        `\n${hook}${hook === 'update-status' ? ' (ignored by both charms)' : ''}: wall median, CPU mean (the process and what it spawned)\n`,
      );
      console.log(
        `| variant | wall | CPU | / Python ops | ${floor ? '/ floor | ' : ''}hook-tool spawns |`,
      );
      console.log(`|---|---|---|---|${floor ? '---|' : ''}---|`);
      for (const name of names(hook)) {
        const r = results[`${name} ${hook}`];
        const m = median(r.ms);
        console.log(
          `| ${name} | ${fmt(m)} | ${fmt(mean(r.cpu))} | ${(m / py).toFixed(2)} | ${floor ? `${(m / floor).toFixed(2)} | ` : ''}${variants[name].floor ? '' : r.calls.length} |`,
        );
      }
    }
    if (values.baseline) {
      console.log('\n| hook (packed) | this checkout | baseline | ratio |');
      console.log('|---|---|---|---|');
      for (const hook of hooks) {
        const [a, b] = ['packed: ./dispatch', 'baseline packed: ./dispatch'].map((w) =>
          median(results[`${w} ${hook}`].ms),
        );
        console.log(`| ${hook} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)} |`);
      }
    }
    const n = median(base.node);
    const r = median(base.runtime);
    const p = median(base.python);
    console.log(
      `\nstart-up alone: \`node -e 0\` (host) ${fmt(n)}, \`runtime/node -e 0\` ${fmt(r)}, \`python -c pass\` ${fmt(p)}`,
    );
    console.log(
      '\ntransports alone (add layer, replan, wait; the embedded Node.js, its compile cache, a fresh process each):\n',
    );
    console.log('| transport | wall | CPU | wall over `-e 0` | wall / node:http |');
    console.log('|---|---|---|---|---|');
    const e0 = median(transport['runtime/node -e 0'].ms);
    const h = median(transport['node-http'].ms);
    for (const t of transportRuns) {
      const m = median(transport[t].ms);
      const plain = t === 'runtime/node -e 0';
      console.log(
        `| ${t} | ${fmt(m)} | ${fmt(mean(transport[t].cpu))} | ${plain ? '' : fmt(m - e0)} | ${plain ? '' : (m / h).toFixed(2)} |`,
      );
    }
    console.log('\nspawns per dispatch (steady state):');
    for (const [k, v] of Object.entries(results)) {
      if (!k.startsWith('floor')) console.log(`  ${k}: ${v.calls.join(', ') || '(none)'}`);
    }
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
