import { describeExecContract } from '../../pebble/src/contract/exec.contract.ts';
import { describeFilesContract } from '../../pebble/src/contract/files.contract.ts';
import { MemoryPebble } from './index.ts';

const make = async () => {
  const pebble = new MemoryPebble();
  await pebble.makeDir('/tmp/scratch', { makeParents: true });
  return { name: 'memory', pebble, scratchDir: '/tmp/scratch', close: async () => pebble.close() };
};
describeFilesContract(make);
describeExecContract(make);
