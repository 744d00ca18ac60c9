// The benchmark charm in a V8 startup snapshot (run.mjs --snapshot): `node --build-snapshot`
// evaluates this whole bundle (the charm, @charm-ts/ops and @charm-ts/pebble) and each hook then
// starts from that heap with `node --snapshot-blob`, the dispatch deferred to the deserialized
// main function. undici stays out: its modules load node:http's parser binding, which a user
// snapshot cannot hold ("global handle not serialized"); the client loads them on first use.
import { startupSnapshot } from 'node:v8';
import { main } from '@charm-ts/ops';
import { PebbleClient } from '@charm-ts/pebble';
import { BenchCharm, meta } from './bench-charm.ts';

// Referenced, so that the bundle evaluates the client's modules now, at build time.
void PebbleClient;
startupSnapshot.setDeserializeMainFunction(() => {
  void main(BenchCharm, { meta });
});
