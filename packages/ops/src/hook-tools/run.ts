/**
 * The one place that spawns a hook tool: from PATH, without a shell.
 * @module
 */
import { spawn } from 'node:child_process';
import { HookToolError } from '../errors.ts';

/** Runs a tool (argv[0]) and resolves to its stdout; rejects with `HookToolError`. */
export type Run = (argv: readonly string[], stdin?: string) => Promise<string>;

/**
 * Spawns `argv[0]` from PATH with `argv.slice(1)`, feeding `stdin` when given.
 * Throws `HookToolError` on a non-zero exit (with Juju's stderr) or when the tool cannot start.
 */
export const run: Run = (argv, stdin) =>
  new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new TypeError('run: empty argv');
    const child = spawn(cmd, args, {
      shell: false,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ENOENT'
          ? `${cmd}: not found on PATH (is this running inside a Juju hook?)`
          : e.message;
      reject(new HookToolError(argv, -1, why, { cause: e }));
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new HookToolError(
            argv,
            code ?? -1,
            signal ? `killed by ${signal}${stderr ? `: ${stderr}` : ''}` : stderr,
          ),
        );
    });
    if (stdin !== undefined) {
      // A tool that exits without reading stdin closes the pipe; its exit code tells the story.
      child.stdin?.on('error', () => {});
      child.stdin?.end(stdin);
    }
  });

/** Parses a `--format=json` output; empty output (Juju prints nothing for nil) is `null`. */
export function parseJson(argv: readonly string[], stdout: string): unknown {
  const text = stdout.trim();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HookToolError(
      argv,
      0,
      `cannot parse the tool's JSON output: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Runs a tool that answers JSON, and parses it. */
export async function runJson(run: Run, argv: readonly string[], stdin?: string): Promise<unknown> {
  return parseJson(argv, await run(argv, stdin));
}
