// The juju front through jubilant (pytest in the venv scripts/install-test-deps.sh makes):
// test/jubilant drives the probe charm with every call jubilant makes, and reads what comes
// back with jubilant's own types, which raise on a missing field.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jubilantProblem, runJubilantTests } from '../src/index.ts';
import { missingRequirement, packProbe } from '../test/probe.ts';

const missing = missingRequirement() ?? jubilantProblem();
if (missing && process.env.CI) throw new Error(`juju front jubilant tests cannot run: ${missing}`);

describe.skipIf(missing)(
  `juju front, through jubilant${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    test('jubilant reads what it asks for', async () => {
      const result = await runJubilantTests({
        testsDir: join(import.meta.dirname, '..', 'test', 'jubilant'),
        env: { CHARM_PATH: packProbe() },
        onLine: (line) => {
          if (/PASSED|FAILED|ERROR/.test(line)) process.stdout.write(`[jubilant] ${line}\n`);
        },
      });
      expect(result.leftModels).toEqual([]);
      expect(result.code, result.output.slice(-8000)).toBe(0);
    }, 600_000);
  },
);
