// Writes src/charmcraft.generated.ts from charmcraft.yaml (git ignores *.generated.ts), so the
// tests run from a fresh checkout.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const charm = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(join(charm, 'node_modules', '.bin', 'charm-typegen'), [charm], { stdio: 'pipe' });
}
