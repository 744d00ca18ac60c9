import { describe } from 'vitest';
import { pebbleUnavailable, realTarget } from '../test/real-daemon.ts';
import { describeExecContract } from './contract/exec.contract.ts';

const unavailable = pebbleUnavailable();

describe.skipIf(unavailable !== undefined)(
  `exec against a real daemon${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    describeExecContract(realTarget);
  },
);
