/**
 * docs/tutorial.md, run as written in a throwaway copy of the repository: each command of its
 * `console` blocks in order, its output compared with what the tutorial shows (the tutorial's
 * own rules: addresses, times and spacing may vary, `…` stands for lines left out), and each
 * `file=` block written where it says. A step that fails names its line in the tutorial.
 */
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWorkspace, type WorkspaceCopy } from '@charm-ts/create-charm/testing';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { outputMismatch, parseTutorial, type TutorialStep } from '../src/tutorial.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TUTORIAL = join(ROOT, 'docs', 'tutorial.md');
const DEPS = 'bash scripts/install-test-deps.sh';

function which(name: string): string | undefined {
  const goBin = [process.env.GOBIN ?? '', join(homedir(), 'go', 'bin')].filter(Boolean);
  for (const dir of [
    ...(process.env.PATH ?? '').split(delimiter),
    ...goBin,
    '/usr/sbin',
    '/sbin',
  ]) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What the tutorial needs that this machine lacks, with the command that installs it. */
function missingRequirement(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'charm-sim needs root (ip netns, mount): run the test as root';
  for (const [name, install] of [
    ['pnpm', 'npm install -g pnpm@12.4.2'],
    ['bwrap', 'apt-get install -y bubblewrap'],
    ['ip', 'apt-get install -y iproute2'],
    ['nsenter', 'apt-get install -y util-linux'],
    ['pebble', 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1'],
    ['redis-server', 'apt-get install -y redis-server'],
    ['redis-cli', 'apt-get install -y redis-server'],
  ] as const) {
    if (!(name === 'pebble' && process.env.PEBBLE_BIN) && !which(name)) {
      return `${name} missing: ${install} (or ${DEPS})`;
    }
  }
  return undefined;
}

const missing = missingRequirement();
if (missing && process.env.CI) throw new Error(`the tutorial test cannot run: ${missing}`);

const steps = parseTutorial(readFileSync(TUTORIAL, 'utf8'));
const title = (step: TutorialStep) =>
  `line ${step.line}: ${step.kind === 'command' ? `$ ${step.command}` : `write ${step.path}`}`;

describe.skipIf(missing)(
  `docs/tutorial.md, run as written${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let ws: WorkspaceCopy;
    let simHome: string;
    /** The first step that failed: the ones after it cannot run. */
    let failed: string | undefined;
    /** The environment of a user's shell: not CI (pnpm would refuse to update the lockfile). */
    const env = () => ({ CI: undefined, CHARM_SIM_HOME: simHome });

    beforeAll(() => {
      ws = copyWorkspace(ROOT, 'tutorial-');
      simHome = mkdtempSync(join(tmpdir(), 'tutorial-sim-'));
    });

    afterAll(() => {
      // A step that failed half-way may leave pods running.
      ws?.sh('pnpm --silent sim destroy --force', { env: env() });
      ws?.remove();
      if (simHome) rmSync(simHome, { recursive: true, force: true });
    });

    for (const step of steps) {
      test(title(step), { timeout: 600_000 }, (context) => {
        if (failed) context.skip(`an earlier step failed: ${failed}`);
        try {
          if (step.kind === 'file') {
            const path = join(ws.root, step.path);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, step.content);
            return;
          }
          const result = ws.sh(step.command, { env: env() });
          process.stdout.write(
            `[tutorial] ${title(step)}: exit ${result.status} in ${(result.ms / 1000).toFixed(1)} s\n`,
          );
          if (result.status !== 0) {
            throw new Error(
              `exited ${result.status}\n--- stdout\n${result.stdout.slice(-3000)}\n--- stderr\n${result.stderr.slice(-3000)}`,
            );
          }
          const mismatch = outputMismatch(step.output, result.stdout);
          if (mismatch) {
            throw new Error(
              `its output is not what docs/tutorial.md shows\n${mismatch}\n--- stderr\n${result.stderr.slice(-2000)}`,
            );
          }
        } catch (error) {
          failed = title(step);
          throw new Error(`docs/tutorial.md ${title(step)}: ${(error as Error).message}`);
        }
      });
    }
  },
);
