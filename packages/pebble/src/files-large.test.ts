/**
 * 1 GiB through a real daemon, both ways, each in its own plain Node process (the bundled
 * files-large.child.ts), so the peak RSS (VmHWM) is that of a process doing only the transfer,
 * not vitest's. The content is generated on the fly and checked byte for byte on the way back.
 *
 * The bound is for a process run as a packed charm's hooks run: `--liftoff-only` (set by
 * @charm-ts/ops in every hook; the dispatch script adds no flag). A pull collects its dead socket
 * buffers every 4 MiB it received (src/internal/read-buffers.ts), so its peak no longer depends
 * on how large the socket reads are, which grows with the machine's load: before, the pull's peak
 * moved from 92 to 115 MiB with it. Measured on Node 20.20 (bench/pebble-files/README.md): push
 * 65-75 MiB, pull ~70 MiB, from ~60 MiB after the first request. The third case is a library
 * user on plain `node` with Node's defaults (V8 also optimises undici's llhttp WebAssembly then,
 * ~30 MiB of compiler memory): it asserts what holds with any flags and still catches a client
 * that buffers, under 100 MiB added by the transfer (holding the file would add 1 GiB).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealPebble, realPebbleSkipReason, startRealPebble } from './testing/real-pebble.ts';

const MiB = 1024 * 1024;
const sizeMiB = 1024;
const skipReason = realPebbleSkipReason();

interface ChildReport {
  op: 'push' | 'pull';
  bytes: number;
  rssBefore: number;
  hwmBefore: number;
  hwm: number;
  external: number;
  arrayBuffers: number;
}

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
/** The V8 flags of a packed charm's hooks: the one @charm-ts/ops sets. */
const packedCharmFlags = ['--liftoff-only'];

describe.skipIf(skipReason !== undefined)(
  `1 GiB through a real daemon, in a plain Node process${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let daemon: RealPebble;
    let bundleDir: string;
    let script: string;

    beforeAll(async () => {
      bundleDir = await mkdtemp(join(tmpdir(), 'files-large-'));
      script = join(bundleDir, 'files-large.child.cjs');
      // CommonJS: undici is CommonJS, and an ESM bundle of it needs a createRequire banner.
      await build({
        entryPoints: [new URL('./files-large.child.ts', import.meta.url).pathname],
        outfile: script,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        logLevel: 'warning',
      });
      daemon = await startRealPebble();
    });
    afterAll(async () => {
      await daemon?.close();
      if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
    });

    async function run(
      op: 'push' | 'pull',
      path: string,
      nodeFlags: string[] = [],
    ): Promise<ChildReport> {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [...nodeFlags, script, daemon.socketPath, path, String(sizeMiB), op],
        { timeout: 120_000 },
      );
      const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildReport;
      console.log(
        `1 GiB ${op} in a plain Node process${nodeFlags.length ? ` (${nodeFlags.join(' ')})` : ''}: ` +
          `RSS ${mib(report.rssBefore)} before, peak ${mib(report.hwm)}; external ${mib(report.external)} after`,
      );
      return report;
    }

    it('pushes 1 GiB with the whole process under 100 MiB of RSS, run as a packed charm', {
      timeout: 180_000,
    }, async () => {
      const path = `${daemon.dir}/large.bin`;
      const report = await run('push', path, packedCharmFlags);
      expect(report.bytes).toBe(sizeMiB * MiB);
      const [info] = await daemon.client.listFiles(path, { itself: true });
      expect(info?.size).toBe(sizeMiB * MiB);
      expect(report.hwm).toBeLessThan(100 * MiB);
    });

    it('pulls 1 GiB with the whole process under 100 MiB of RSS, run as a packed charm', {
      timeout: 180_000,
    }, async () => {
      const path = `${daemon.dir}/large.bin`;
      const report = await run('pull', path, packedCharmFlags);
      expect(report.bytes).toBe(sizeMiB * MiB);
      expect(report.hwm).toBeLessThan(100 * MiB);
    });

    it('pulls the same 1 GiB back byte for byte with Node defaults, adding under 100 MiB', {
      timeout: 180_000,
    }, async () => {
      const path = `${daemon.dir}/large.bin`;
      const report = await run('pull', path);
      await daemon.client.removePath(path);
      expect(report.bytes).toBe(sizeMiB * MiB);
      expect(report.hwm - report.hwmBefore).toBeLessThan(100 * MiB);
    });
  },
);
