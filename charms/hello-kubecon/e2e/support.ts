/**
 * What the end-to-end test stands on: the machine's requirements (pods, the real gosherve at
 * its image path, the Python ops venv with traefik's ingress library) and packing the charms.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, NODE_VERSION, packCharm } from '@charm-ts/pack';
import { packPythonCharm, podsProblem, pythonCharmProblem } from '@charm-ts/sim';

const here = dirname(fileURLToPath(import.meta.url));
/** The hello-kubecon charm directory. */
export const CHARM_DIR = join(here, '..');
/** The library the ingress provider test charm uses, unmodified. */
export const INGRESS_LIB = 'charms.traefik_k8s.v2.ingress';
const INSTALL = 'bash scripts/install-test-deps.sh';

/** Where the gosherve image has its binary, and so where the container (the host's /) runs it. */
export const GOSHERVE_PATH = '/gosherve';
/** The gosherve the test runs: the real one, built by test-deps.sh. */
export const GOSHERVE_VERSION = 'gosherve version v0.3.7';

/** `/gosherve --version`'s first line and where the link points, or undefined when absent. */
export function gosherve(): { version: string; target: string } | undefined {
  try {
    const out = execFileSync(GOSHERVE_PATH, ['--version'], { encoding: 'utf8' });
    return { version: out.split('\n')[0] ?? '', target: realpathSync(GOSHERVE_PATH) };
  } catch {
    return undefined;
  }
}

/** Why the e2e test cannot run here, with the command that fixes it; undefined when it can. */
export function missingRequirement(): string | undefined {
  const pods = podsProblem(INSTALL);
  if (pods) return pods;
  const found = gosherve();
  if (found?.version !== GOSHERVE_VERSION) {
    return `${found ? `${GOSHERVE_PATH} is ${found.version}, not` : `${GOSHERVE_PATH} is missing: the real workload,`} ${GOSHERVE_VERSION}: ${INSTALL} builds it from ../shared/third_party/gosherve-v0.3.7 and links it there`;
  }
  return pythonCharmProblem({ libs: [INGRESS_LIB], modules: ['pydantic'] });
}

/** Packs hello-kubecon (amd64, with the cached Node.js runtime) into `outDir`; returns the file. */
export async function packHelloKubecon(outDir: string): Promise<string> {
  const [packed] = await packCharm({
    charmDir: CHARM_DIR,
    outDir,
    nodeVersion: NODE_VERSION,
    cacheDir: defaultCacheDir(),
    arches: ['amd64'],
  });
  if (!packed) throw new Error(`charm-pack wrote nothing for ${CHARM_DIR}`);
  return packed.path;
}

/** Packs the Python ingress provider with traefik's library in its lib/; returns the file. */
export function packIngressProvider(outDir: string): string {
  return packPythonCharm(join(here, 'ingress-provider'), { outDir, libs: [INGRESS_LIB] });
}
