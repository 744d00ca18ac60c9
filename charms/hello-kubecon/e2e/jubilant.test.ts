/**
 * The charm's integration tests (tests/integration: pytest + jubilant, written for a real Juju
 * on Kubernetes) run unchanged against charm-sim: jubilant from PyPI in the venv
 * scripts/install-test-deps.sh makes, charm-sim's `juju` shim first on PATH, the charm packed
 * here and given as CHARM_PATH. The tests serve the site themselves, on this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jubilantProblem, runJubilantTests } from '@charm-ts/sim';
import { afterAll, describe, expect, test } from 'vitest';
import { CHARM_DIR, missingRequirement, packHelloKubecon } from './support.ts';

const missing = missingRequirement() ?? jubilantProblem();
if (missing && process.env.CI) {
  throw new Error(`hello-kubecon integration tests cannot run: ${missing}`);
}

describe.skipIf(missing)(
  `hello-kubecon integration tests (pytest + jubilant) on charm-sim${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'hk-jubilant-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    test('pass', async () => {
      const charm = await packHelloKubecon(join(work, 'dist'));
      const result = await runJubilantTests({
        testsDir: join(CHARM_DIR, 'tests', 'integration'),
        env: { CHARM_PATH: charm },
        onLine: (line) => {
          if (/PASSED|FAILED|ERROR/.test(line)) {
            process.stdout.write(`[hello-kubecon jubilant] ${line}\n`);
          }
        },
      });
      expect(result.leftModels, 'models the tests did not destroy').toEqual([]);
      expect(result.code, result.output.slice(-6000)).toBe(0);
    }, 900_000);
  },
);
