/**
 * The commands an in-memory container can run without a handler: `cat`, `echo`, `env`,
 * `pwd`, `sleep`, `true`, `false`, and `sh -c`/`bash -c` scripts made of them (with `>&2`,
 * `;`, `&&`, `exit N`). Enough for the contract suite and for charms' small shell steps.
 * @module
 */
import { posix } from 'node:path';
import { shlexSplit } from '@charm-ts/pebble/internal';

/** What a running program sees and can do. */
export interface ProgramIO {
  argv: readonly string[];
  stdin: Buffer;
  environment: Record<string, string>;
  workingDir: string;
  out(data: string | Uint8Array): void;
  err(data: string | Uint8Array): void;
  /** Resolves after `ms`, or rejects when the process is killed. */
  sleep(ms: number): Promise<void>;
}

/** A program: resolves to its exit code. */
export type Program = (io: ProgramIO) => Promise<number>;

const names = new Set([
  'cat',
  'echo',
  'env',
  'pwd',
  'sleep',
  'true',
  'false',
  'sh',
  'bash',
  'dash',
]);

/** The built-in program for `argv[0]`, if there is one. */
export function builtinProgram(argv0: string): Program | undefined {
  const name = posix.basename(argv0);
  if (!names.has(name)) return undefined;
  return (io) => runWords(io, [name, ...io.argv.slice(1)]);
}

async function runWords(io: ProgramIO, words: string[]): Promise<number> {
  const [name, ...args] = words;
  switch (name) {
    case 'cat':
      io.out(io.stdin);
      return 0;
    case 'echo': {
      const noNewline = args[0] === '-n';
      const text = (noNewline ? args.slice(1) : args).join(' ');
      io.out(noNewline ? text : `${text}\n`);
      return 0;
    }
    case 'env':
      io.out(
        Object.entries(io.environment)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      return 0;
    case 'pwd':
      io.out(`${io.workingDir}\n`);
      return 0;
    case 'sleep':
      await io.sleep(Number(args[0] ?? 0) * 1000);
      return 0;
    case 'true':
    case ':':
      return 0;
    case 'false':
      return 1;
    case 'sh':
    case 'bash':
    case 'dash':
      if (args[0] === '-c' && args[1] !== undefined) return runScript(io, args[1]);
      return 0;
    default:
      io.err(`sh: 1: ${name}: not found\n`);
      return 127;
  }
}

async function runScript(io: ProgramIO, script: string): Promise<number> {
  let status = 0;
  for (const statement of script.split(/;|&&|\n/)) {
    let words = shlexSplit(statement.trim());
    if (words.length === 0) continue;
    let toStderr = false;
    if (words.at(-1) === '>&2' || words.at(-1) === '1>&2') {
      toStderr = true;
      words = words.slice(0, -1);
    }
    if (words[0] === 'exit') return Number(words[1] ?? status);
    const sub: ProgramIO = toStderr ? { ...io, out: io.err } : io;
    status = await runWords(sub, words);
  }
  return status;
}
