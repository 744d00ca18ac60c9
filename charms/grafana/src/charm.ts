// The entry point charm-pack bundles: Juju runs it for every hook and action.
import { main } from '@charm-ts/ops';
import { meta } from './charmcraft.generated.ts';
import { GrafanaCharm } from './grafana-charm.ts';

void main(GrafanaCharm, { meta });
