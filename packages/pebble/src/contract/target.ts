import type { Pebble } from '../pebble.ts';

export interface ContractTarget {
  name: string;
  pebble: Pebble;
  scratchDir: string;
  killService?(service: string): Promise<void>;
  close(): Promise<void>;
}
