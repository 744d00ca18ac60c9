/**
 * The charm's entry point, bundled by charm-pack into `charm.cjs` and run by `dispatch`.
 * @module
 */
import { main } from '@charm-ts/ops';
import { meta } from './charmcraft.generated.ts';
import { SnappassCharm } from './snappass-charm.ts';

// main ends the process once the dispatch is done (exec WebSockets stay open a while after a
// command ends; nothing waits for them).
void main(SnappassCharm, { meta });
