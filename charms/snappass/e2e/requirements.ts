/**
 * What the end-to-end test needs on this machine, each with the command that installs it.
 * @module
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { podsProblem } from '@charm-ts/sim';

const DEPS = 'bash scripts/install-test-deps.sh';
const STANDARD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function which(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Why the e2e test cannot run here, naming the install command; undefined when it can.
 * The workloads are looked up on the PATH a pod's Pebble has, as the charm's layers name them.
 */
export function missingRequirement(): string | undefined {
  const pods = podsProblem(DEPS);
  if (pods) return pods;
  for (const [name, hint] of [
    ['redis-server', 'apt-get install -y redis-server'],
    ['redis-cli', 'apt-get install -y redis-server'],
    [
      'snappass',
      'pip install snappass==1.6.2 in ~/.cache/charm-ts/snappass-venv, linked into /usr/local/bin',
    ],
  ] as const) {
    if (!which(name, STANDARD_PATH.split(':')))
      return `${name} missing from ${STANDARD_PATH}: ${hint} (or ${DEPS})`;
  }
  return undefined;
}
