/** Entry of the bundled TS side: prints `{test: medianMs}` as JSON. */
import { dirname, join } from 'node:path';
import { runScenarios } from './scenarios.ts';

const iterations = Number(process.argv[2] ?? '50');
// bench/dist/testing-bench.mjs → the fixture charm's directory (its charmcraft.yaml).
const charmDir = join(
  dirname(process.argv[1] ?? '.'),
  '../../packages/testing/src/context/fixtures/two-containers',
);
console.log(JSON.stringify(await runScenarios(charmDir, iterations)));
