/**
 * The @charm-ts/pebble contract suite, run against MemoryPebble: every test the real daemon
 * passes, the in-memory Pebble must pass too. A failure here is fixed in MemoryPebble.
 */
import { describePebbleContract } from '@charm-ts/pebble/contract';
import { MemoryPebble } from './index.ts';

describePebbleContract(async () => {
  const uid = process.getuid?.() ?? 0;
  const pebble = new MemoryPebble({
    // Pebble's okay delay is 1 s; the suite only needs a start to stay pending well past 50 ms.
    okayDelayMs: 200,
    uid,
    users: [
      { name: 'root', id: 0, groupId: 0 },
      ...(uid === 0 ? [] : [{ name: 'tester', id: uid, groupId: process.getgid?.() ?? uid }]),
    ],
  });
  const scratchDir = '/tmp/charm-ts-contract';
  await pebble.makeDir(scratchDir, { makeParents: true });
  return {
    name: 'memory pebble',
    pebble,
    scratchDir,
    killService: async (service) => pebble.killService(service),
    close: async () => pebble.close(),
  };
});
