/**
 * The charm's entry point, bundled by charm-pack into `charm.cjs` and run by `dispatch`.
 * @module
 */
import { main } from '@charm-ts/ops';
import { meta } from './charmcraft.generated.ts';
import { SnappassCharm } from './snappass-charm.ts';

// Exit as soon as the dispatch is done (main has set process.exitCode and written any error):
// the exec WebSockets of @charm-ts/pebble stay open ~45 s after a command ends, which would
// keep every hook that pings redis alive that long.
void main(SnappassCharm, { meta }).finally(() => process.exit());
