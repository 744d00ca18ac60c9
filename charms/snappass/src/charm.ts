/**
 * The charm's entry point, bundled by charm-pack into `charm.cjs` and run by `dispatch`.
 * @module
 */
import { main } from '@charm-ts/ops';
import { meta } from './charmcraft.generated.ts';
import { SnappassCharm } from './snappass-charm.ts';

void main(SnappassCharm, { meta });
