/** Entry of the bundled TS side: prints `{test: medianMs}` as JSON. */
import { dirname, join } from 'node:path';
import { runScenarios } from './scenarios.ts';

const iterations = Number(process.argv[2] ?? '50');
const charmDir = join(dirname(process.argv[1] ?? '.'), '..', 'testing');
console.log(JSON.stringify(await runScenarios(charmDir, iterations)));
