/**
 * `charm-typegen [charm-dir] [--out <file>] [--check]`: writes `src/charmcraft.generated.ts`.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCharmcraft } from '../charmcraft/parse.ts';
import { OpsError } from '../errors.ts';
import { typegen } from './typegen.ts';

const HELP = `Usage: charm-typegen [charm-dir] [--out <file>] [--check]

Reads <charm-dir>/charmcraft.yaml (default: the current directory) and writes TypeScript types
for its config options, action params and endpoint/container/storage names, plus the runtime
metadata object to pass to main(), to <charm-dir>/src/charmcraft.generated.ts.

  --out <file>  write here instead
  --check       write nothing; exit 1 when the file is missing or out of date
  -h, --help    show this help
`;

/** Runs the CLI; resolves to the exit code. User errors print one line on stderr. */
export async function typegenCli(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`charm-typegen: ${(err as Error).message} (see --help)\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = resolve(args.positionals[0] ?? '.');
  const out = resolve(args.values.out ?? join(dir, 'src', 'charmcraft.generated.ts'));
  try {
    const meta = await loadCharmcraft(dir);
    const text = typegen(meta, relative(resolve(out, '..'), meta.file) || 'charmcraft.yaml');
    const current = await readFile(out, 'utf8').catch(() => undefined);
    if (args.values.check) {
      if (current === text) return 0;
      process.stderr.write(
        `charm-typegen: ${relative(process.cwd(), out)} is ${current === undefined ? 'missing' : 'out of date'}; run charm-typegen\n`,
      );
      return 1;
    }
    if (current !== text) await writeFile(out, text);
    process.stdout.write(
      `charm-typegen: ${current === text ? 'up to date' : 'wrote'} ${relative(process.cwd(), out)}\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`charm-typegen: ${err instanceof OpsError ? err.message : String(err)}\n`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      check: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
