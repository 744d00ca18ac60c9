// The state-dir lock under contention (issue 11, item 5): many processes go for one stale lock
// at once, round after round; exactly one may hold it each time, and none may crash.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { tryLockFile } from './lock-file.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 16;
const CONTENDERS = 8;

/** A child's stdout, line by line, and a way to wait for its next line. */
class Contender {
  readonly child: ChildProcessWithoutNullStreams;
  private lines: string[] = [];
  private waiting: (() => void) | undefined;
  private buffer = '';

  constructor(script: string, dir: string) {
    this.child = spawn(process.execPath, [script, dir]);
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop() ?? '';
      this.lines.push(...parts);
      this.waiting?.();
    });
    this.child.stderr.on('data', (chunk: Buffer) => this.lines.push(`stderr: ${chunk}`));
  }

  /**
   * The next line it prints, as soon as it prints it; fails naming `what` when none comes
   * within 60 s, or at once when the contender's output ends first.
   */
  async next(what: string): Promise<string> {
    if (this.lines.length === 0) {
      const pid = this.child.pid;
      await new Promise<void>((resolve, reject) => {
        const ended = () => finish(new Error(`contender ${pid} ended before it said ${what}`));
        const timer = setTimeout(
          () => finish(new Error(`contender ${pid} never said ${what} within 60 s`)),
          60_000,
        );
        const finish = (error?: Error) => {
          clearTimeout(timer);
          this.waiting = undefined;
          this.child.stdout.off('end', ended);
          if (error) reject(error);
          else resolve();
        };
        this.waiting = () => {
          if (this.lines.length > 0) finish();
        };
        this.child.stdout.once('end', ended);
      });
    }
    return this.lines.shift() as string;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

describe('the state-dir lock', () => {
  let script = '';
  beforeAll(() => {
    script = join(tempDir('sim-lock-bin-'), 'contender.mjs');
    buildSync({
      entryPoints: [join(here, '..', 'test', 'lock-contender.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
  });

  test(`${CONTENDERS} processes take over one stale lock: exactly one holds it, ${ROUNDS} rounds`, async () => {
    const dir = join(tempDir('sim-lock-race-'), 'state');
    mkdirSync(dir, { mode: 0o700 });
    for (let round = 0; round < ROUNDS; round++) {
      // A lock left by a process that is gone: its pid is dead (and reaped).
      const dead = spawnSync('true').pid;
      writeFileSync(
        join(dir, 'lock'),
        round % 2 ? `${dead}` : `${dead} 00000000-0000-0000-0000-00000000000${round % 10}\n`,
      );
      const contenders = Array.from({ length: CONTENDERS }, () => new Contender(script, dir));
      try {
        for (const c of contenders) expect(await c.next('ready')).toBe('ready');
        for (const c of contenders) c.child.stdin.write('go\n');
        const verdicts: string[] = [];
        for (const c of contenders) verdicts.push(await c.next('held or locked'));
        expect(verdicts.filter((v) => !['held', 'locked'].includes(v))).toEqual([]);
        expect(verdicts.filter((v) => v === 'held')).toHaveLength(1);
        const holder = contenders[verdicts.indexOf('held')];
        expect(readFileSync(join(dir, 'lock'), 'utf8')).toMatch(
          new RegExp(`^${holder?.child.pid}\\b`),
        );
      } finally {
        for (const c of contenders) await c.stop();
      }
    }
  });

  test('a lock whose holder lives is not taken; release removes only our own', () => {
    const dir = tempDir('sim-lock-live-');
    const lock = join(dir, 'lock');
    const first = tryLockFile(lock);
    expect(first.held).toBe(true);
    writeFileSync(lock, `1 someone-else\n`);
    expect(tryLockFile(lock)).toEqual({ held: false, pid: 1 });
    if (first.held) first.release();
    expect(readFileSync(lock, 'utf8')).toBe('1 someone-else\n');
  });
});
