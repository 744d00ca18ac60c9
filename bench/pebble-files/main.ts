/**
 * bench/pebble-files: push and pull one file through @charm-ts/pebble and through Pebble's
 * own Go CLI (`pebble push` / `pebble pull`) on the same daemon, alternating which goes
 * first, and print the median MiB/s of both, the ratio, and the RSS of this (the TS) process.
 * @module
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type Daemon, findPebble, installCommand, startDaemon } from './daemon.ts';
import { cpuSeconds, median, sha256, tool, vmHwmMiB, withRssPeak } from './tools.ts';

const MiB = 1024 * 1024;
/** Local file streams use 1 MiB buffers (Node's default is 64 KiB), as a bulk copy should. */
const streamBuffer = MiB;
const help = `Usage: pnpm --filter @charm-ts/bench pebble-files [-- --size-mib N --reps N]

Pushes and pulls one file of N MiB (default 256) through @charm-ts/pebble and through
\`pebble push\` / \`pebble pull\` on the same throwaway daemon, alternating which goes first,
--reps times (default 5). Prints the median MiB/s of each, the ratio TS / Go, and the RSS of
this process (sampled every 5 ms during the TS transfers). Needs pebble on PATH, in ~/go/bin
or at $PEBBLE_BIN:
  ${installCommand}`;

type Side = 'ts' | 'go';
type Op = 'push' | 'pull';

/**
 * One transfer; returns its wall time and the CPU time of the client side, in seconds (for
 * Go, including the CLI's start-up; the daemon's own CPU is in neither).
 */
async function transfer(daemon: Daemon, side: Side, op: Op, local: string, remote: string) {
  const cpuBefore = cpuSeconds();
  const start = process.hrtime.bigint();
  if (side === 'go') {
    const args = op === 'push' ? ['push', local, remote] : ['pull', remote, local];
    await tool(daemon.binary, args, { ...process.env, PEBBLE_SOCKET: daemon.socketPath });
  } else if (op === 'push') {
    await daemon.client.push(remote, createReadStream(local, { highWaterMark: streamBuffer }));
  } else {
    const file = createWriteStream(local, { highWaterMark: streamBuffer });
    await pipeline(await daemon.client.pull(remote), file);
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = cpuSeconds();
  const cpu =
    side === 'go' ? cpuAfter.children - cpuBefore.children : cpuAfter.self - cpuBefore.self;
  return { wall, cpu };
}

function parse(): { sizeMiB: number; reps: number } | 'help' | string {
  const { values } = parseArgs({
    // `pnpm run x -- --flag` passes the `--` through.
    args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
    options: {
      'size-mib': { type: 'string', default: '256' },
      reps: { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const sizeMiB = Number(values['size-mib']);
  const reps = Number(values.reps);
  if (!Number.isInteger(sizeMiB) || sizeMiB < 1 || !Number.isInteger(reps) || reps < 1) {
    return '--size-mib and --reps must be positive integers';
  }
  return { sizeMiB, reps };
}

async function main(): Promise<number> {
  const args = parse();
  if (args === 'help') {
    console.log(help);
    return 0;
  }
  if (typeof args === 'string') {
    console.error(`pebble-files: ${args} (see --help)`);
    return 2;
  }
  const { sizeMiB, reps } = args;
  const binary = findPebble();
  if (!binary) {
    console.error(`pebble-files: pebble not found; install it with: ${installCommand}`);
    return 1;
  }
  const daemon = await startDaemon(binary);
  try {
    const source = join(daemon.dir, 'source.bin');
    console.error(`writing a ${sizeMiB} MiB random source file…`);
    await tool('sh', ['-c', `head -c ${sizeMiB * MiB} /dev/urandom > '${source}'`]);
    const expected = await sha256(source);
    const rssBefore = process.memoryUsage.rss();
    // The baseline for memory: Node copying the same file with the same streams, no Pebble.
    const { peak: copyPeak } = await withRssPeak(() =>
      pipeline(
        createReadStream(source, { highWaterMark: streamBuffer }),
        createWriteStream(join(daemon.dir, 'copy.bin'), { highWaterMark: streamBuffer }),
      ),
    );
    await rm(join(daemon.dir, 'copy.bin'));
    let tsPeak = rssBefore;
    const seconds: Record<`${Side}-${Op}`, number[]> = {
      'ts-push': [],
      'go-push': [],
      'ts-pull': [],
      'go-pull': [],
    };
    const cpu: Record<`${Side}-${Op}`, number[]> = {
      'ts-push': [],
      'go-push': [],
      'ts-pull': [],
      'go-pull': [],
    };
    for (let rep = 0; rep < reps; rep++) {
      const order: Side[] = rep % 2 === 0 ? ['ts', 'go'] : ['go', 'ts'];
      for (const op of ['push', 'pull'] as const) {
        for (const side of order) {
          const remote = join(daemon.dir, `remote-${side}.bin`);
          const local = op === 'push' ? source : join(daemon.dir, `pulled-${side}.bin`);
          if (op === 'pull') await rm(local, { force: true });
          const { value, peak } = await withRssPeak(() =>
            transfer(daemon, side, op, local, remote),
          );
          if (side === 'ts') tsPeak = Math.max(tsPeak, peak);
          seconds[`${side}-${op}`].push(value.wall);
          cpu[`${side}-${op}`].push(value.cpu);
          console.error(
            `rep ${rep + 1}/${reps}: ${side} ${op} ${(sizeMiB / value.wall).toFixed(0)} MiB/s, ` +
              `client CPU ${(value.cpu * 1000).toFixed(0)} ms`,
          );
          if (op === 'pull' && (await stat(local)).size !== sizeMiB * MiB) {
            throw new Error(`the ${side} pull wrote a file of the wrong size`);
          }
          if (op === 'pull' && rep === 0 && (await sha256(local)) !== expected) {
            throw new Error(`the ${side} pull wrote different bytes`);
          }
        }
      }
    }
    const rate = (key: `${Side}-${Op}`): number => sizeMiB / median(seconds[key]);
    console.log(`\n${sizeMiB} MiB × ${reps} reps, alternating, one daemon (median MiB/s)\n`);
    const ms = (key: `${Side}-${Op}`): string => `${(median(cpu[key]) * 1000).toFixed(0)} ms`;
    console.log(
      '| op   | @charm-ts/pebble | pebble CLI (Go) | ratio TS/Go | client CPU TS | client CPU Go |',
    );
    console.log(
      '|------|-----------------:|----------------:|------------:|--------------:|--------------:|',
    );
    for (const op of ['push', 'pull'] as const) {
      const ts = rate(`ts-${op}`).toFixed(0).padStart(16);
      const go = rate(`go-${op}`).toFixed(0).padStart(15);
      const ratio = (rate(`ts-${op}`) / rate(`go-${op}`)).toFixed(2).padStart(11);
      console.log(
        `| ${op} | ${ts} | ${go} | ${ratio} | ${ms(`ts-${op}`).padStart(13)} | ${ms(`go-${op}`).padStart(13)} |`,
      );
    }
    const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
    console.log(
      `\nRSS of the TS process: ${mib(rssBefore)} before any transfer; peak ${mib(copyPeak)} ` +
        `during a plain Node fs copy of the file (the baseline); peak ${mib(tsPeak)} during the ` +
        `@charm-ts/pebble transfers (VmHWM ${vmHwmMiB().toFixed(1)} MiB)`,
    );
    return 0;
  } finally {
    await daemon.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`pebble-files: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
