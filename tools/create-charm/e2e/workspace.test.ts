/**
 * What a user does right after `pnpm new-charm`, in a throwaway copy of this workspace: exactly
 * `pnpm install && pnpm build`, then `pnpm vitest run --project <name>` on the new charm (its
 * unit tests and its e2e test in charm-sim). Beside it, a `--from` copy of every charm in
 * charms/ at test time builds, lints, type-checks and passes its unit tests (the e2e tests of a
 * copy need a workload under the new name, which no machine has).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { referenceCharms } from '../src/create-charm.ts';
import { copyWorkspace, type ShellResult, type WorkspaceCopy } from '../src/testing/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NAME = 'my-app';
/** One name per copied charm, none holding a reference charm's name. */
const copies = referenceCharms(ROOT).map((from, i) => ({
  from,
  name: `copied-${String.fromCharCode(97 + i)}`,
}));
const log = (line: string) => process.stdout.write(`[new-charm e2e] ${line}\n`);

/** Fails with what the command printed. */
function ok(result: ShellResult): ShellResult {
  log(`${result.command}: exit ${result.status} in ${(result.ms / 1000).toFixed(1)} s`);
  if (result.status !== 0) {
    throw new Error(
      `${result.command} exited ${result.status}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
    );
  }
  return result;
}

describe('a new charm in a copy of the workspace', () => {
  let ws: WorkspaceCopy;

  beforeAll(() => {
    ws = copyWorkspace(ROOT, 'new-charm-e2e-');
    log(`workspace copy: ${ws.root}`);
    // The workspace as cloned: installed (from the same pnpm store) before new-charm runs.
    ok(ws.sh('pnpm install --frozen-lockfile --prefer-offline'));
  });

  afterAll(() => {
    if (ws && !process.env.KEEP_WORKSPACE) ws.remove();
  });

  test('pnpm new-charm writes it, and a copy of each charm', () => {
    const created = ok(ws.sh(`pnpm --silent new-charm ${NAME}`));
    expect(created.stdout).toContain(`new-charm: wrote charms/${NAME}/ (10 files)`);
    for (const { from, name } of copies) {
      expect(ok(ws.sh(`pnpm --silent new-charm ${name} --from ${from}`)).stdout).toContain(
        `a copy of charms/${from}`,
      );
    }
  });

  test('pnpm install && pnpm build packs each of them', () => {
    // pnpm's CI mode would refuse to update the lockfile; a user adding a charm is not CI.
    const built = ok(ws.sh('pnpm install && pnpm build', { env: { CI: undefined } }));
    for (const name of [NAME, ...copies.map((c) => c.name)]) {
      expect(built.stdout).toContain(`dist/${name}_ubuntu-22.04-amd64.charm`);
    }
  });

  test('pnpm vitest run --project <name> passes: unit tests and the e2e test in charm-sim', () => {
    const run = ok(ws.sh(`pnpm vitest run --project ${NAME}`));
    expect(run.stdout).toMatch(/Tests\s+\S*7 passed/);
  });

  test('they pass pnpm lint and typecheck; the copies pass their unit tests', () => {
    ok(
      ws.sh(
        `pnpm exec biome check ${[NAME, ...copies.map((c) => c.name)].map((n) => `charms/${n}`).join(' ')}`,
      ),
    );
    const filters = [NAME, ...copies.map((c) => c.name)].map((n) => `--filter ${n}`).join(' ');
    ok(ws.sh(`pnpm ${filters} typecheck`));
    if (copies.length === 0) return;
    const projects = copies.map((c) => `--project ${c.name}`).join(' ');
    const run = ok(ws.sh(`pnpm vitest run ${projects} --exclude 'e2e/**'`));
    expect(run.stdout).toMatch(/Tests\s+\S*\d+ passed/);
  });
});
