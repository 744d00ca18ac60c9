// The benchmark charm's entry (what charm-pack packs): bench-charm.ts, dispatched.
import { main } from '@charm-ts/ops';
import { BenchCharm, meta } from './bench-charm.ts';

void main(BenchCharm, { meta });
