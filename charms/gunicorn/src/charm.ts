// The entry point charm-pack bundles: Juju runs it for every hook and action.
import { main } from '@charm-ts/ops';
import { meta } from './charmcraft.generated.ts';
import { GunicornCharm } from './gunicorn.ts';

void main(GunicornCharm, { meta });
