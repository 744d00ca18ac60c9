// @charm-ts/pebble's client: the requests of the charm's addLayer + replan.
import { PebbleClient } from '@charm-ts/pebble';
import { layer, socketPath } from './common.ts';

void (async () => {
  const client = new PebbleClient({ socketPath });
  await client.addLayer('web', layer, { combine: true });
  await client.replanServices();
  await client.close();
})();
