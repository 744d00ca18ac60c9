// The arguments a bench script was given. pnpm 12 passes the `--` of
// `pnpm --filter @charm-ts/bench <name> -- <args>` on to the script: it is dropped here, once
// for every bench.
export function scriptArgs(argv = process.argv) {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}
