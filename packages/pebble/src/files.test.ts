import { describe } from 'vitest';
import { pebbleUnavailable, realTarget } from '../test/real-daemon.ts';
import { describeFilesContract } from './contract/files.contract.ts';

const unavailable = pebbleUnavailable();

describe.skipIf(unavailable !== undefined)(
  `files against a real daemon${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    describeFilesContract(realTarget);
  },
);
