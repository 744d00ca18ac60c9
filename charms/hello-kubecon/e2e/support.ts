/**
 * What the end-to-end test stands on: the machine's requirements, the workload "image" of the
 * gosherve container (the real gosherve when installed, otherwise the named stand-in), and
 * packing the two charms with charm-pack.
 * @module
 */
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, NODE_VERSION, packCharm } from '@charm-ts/pack';
import { INSTALL_HINTS } from '@charm-ts/sim';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
/** The hello-kubecon charm directory. */
export const CHARM_DIR = join(here, '..');

/** `name` on PATH or in `extra`, or undefined. */
export function which(name: string, extra: readonly string[] = []): string | undefined {
  for (const dir of [
    ...(process.env.PATH ?? '').split(delimiter),
    ...extra,
    '/usr/sbin',
    '/sbin',
  ]) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

const GO_BINS = [process.env.GOBIN ?? '', join(homedir(), 'go', 'bin')].filter(Boolean);

/** Why the e2e test cannot run here, with the command that fixes it; undefined when it can. */
export function missingRequirement(): string | undefined {
  for (const name of ['bwrap', 'ip', 'nsenter', 'unshare'] as const) {
    if (!which(name))
      return `${name} missing: ${INSTALL_HINTS[name]} (or bash scripts/install-test-deps.sh)`;
  }
  if (!process.env.PEBBLE_BIN && !which('pebble', GO_BINS)) {
    return `pebble missing: ${INSTALL_HINTS.pebble} (or bash scripts/install-test-deps.sh)`;
  }
  if (process.getuid?.() !== 0) return 'pods need root (ip netns, mount): run the e2e test as root';
  return undefined;
}

/** Which gosherve the test runs. */
export interface Workload {
  readonly kind: 'gosherve' | 'stand-in';
  /** For the test's output. */
  readonly label: string;
}

/** The real gosherve when it is installed (PATH, $GOBIN, ~/go/bin), else undefined. */
export function realGosherve(): string | undefined {
  return which('gosherve', GO_BINS);
}

/**
 * Fills the writable layer of a container with what the gosherve image has: `/gosherve`.
 * That is the real binary when installed; otherwise a shell script running the bundled
 * stand-in with this Node.js (the host system is the container's read-only lower layer).
 */
export async function prepareGosherveImage(upper: string): Promise<Workload> {
  mkdirSync(upper, { recursive: true });
  const real = realGosherve();
  if (real) {
    copyFileSync(real, join(upper, 'gosherve'));
    chmodSync(join(upper, 'gosherve'), 0o755);
    return { kind: 'gosherve', label: `the real gosherve (${real})` };
  }
  const bundle = join(upper, 'opt', 'gosherve-standin', 'gosherve-standin.cjs');
  await build({
    entryPoints: [join(here, 'gosherve-standin', 'gosherve-standin.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
  writeFileSync(
    join(upper, 'gosherve'),
    `#!/bin/sh\n# gosherve STAND-IN (hello-kubecon e2e): gosherve is not installed here.\nexec ${process.execPath} /opt/gosherve-standin/gosherve-standin.cjs "$@"\n`,
    { mode: 0o755 },
  );
  return {
    kind: 'stand-in',
    label:
      'the gosherve STAND-IN (e2e/gosherve-standin; gosherve v0.3.7 is not installed: see test-deps.sh)',
  };
}

/** Packs the charm in `dir` (amd64, with the cached Node.js runtime) into `outDir`; returns the file. */
export async function pack(dir: string, outDir: string): Promise<string> {
  const [packed] = await packCharm({
    charmDir: dir,
    outDir,
    nodeVersion: NODE_VERSION,
    cacheDir: defaultCacheDir(),
    arches: ['amd64'],
  });
  if (!packed) throw new Error(`charm-pack wrote nothing for ${dir}`);
  return packed.path;
}
