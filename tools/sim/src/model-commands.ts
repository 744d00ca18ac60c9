/**
 * The commands about the model as a whole: `model-config` (the update-status interval),
 * `update-status` now, and `watch` (Pebble notices and checks turned into events as they
 * come, update-status at the interval).
 * @module
 */
import { type CommandHost, targetUnits } from './command-host.ts';
import { SimError } from './errors.ts';
import { enqueue } from './events.ts';

/**
 * Shows or sets model config. Only `update-status-hook-interval` (a duration such as `5m`)
 * means anything here: it is the interval `watch` runs update-status at.
 * @throws SimError `UNKNOWN_KEY` for another key, `BAD_CONFIG_VALUE` for a bad duration.
 */
export function modelConfig(
  host: CommandHost,
  set: readonly string[] = [],
): Record<string, string> {
  for (const pair of set) {
    const [key, value = ''] = pair.split('=', 2);
    if (key !== 'update-status-hook-interval') {
      throw new SimError(
        'UNKNOWN_KEY',
        `unknown model config key "${key}": charm-sim knows update-status-hook-interval`,
      );
    }
    const match = /^(\d+)(s|m|h)$/.exec(value);
    if (!match) {
      throw new SimError(
        'BAD_CONFIG_VALUE',
        `update-status-hook-interval expects a duration such as 30s or 5m, got "${value}"`,
      );
    }
    host.model.updateStatusIntervalSeconds =
      Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
  }
  host.save();
  return { 'update-status-hook-interval': `${host.model.updateStatusIntervalSeconds}s` };
}

/**
 * Runs update-status on one unit, one application's units, or every unit.
 * @throws SimError `UNKNOWN_APP`, `UNKNOWN_UNIT`.
 */
export async function updateStatus(host: CommandHost, target?: string): Promise<void> {
  for (const unit of targetUnits(host.model, target)) {
    enqueue(host.model, unit, { hook: 'update-status' });
  }
  await host.settle();
}

/** Options for {@link watch}. */
export interface WatchOptions {
  readonly durationMs: number;
  /** Optional: how often Pebble is asked for notices. Default 1 s. */
  readonly pollMs?: number;
  /** Optional: the update-status interval. Default the model's. */
  readonly updateStatusMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Watches the model for `durationMs`: turns Pebble notices into events every `pollMs`, and
 * runs update-status every `updateStatusMs`.
 */
export async function watch(host: CommandHost, options: WatchOptions): Promise<void> {
  const end = Date.now() + options.durationMs;
  const interval = options.updateStatusMs ?? host.model.updateStatusIntervalSeconds * 1000;
  let nextUpdate = Date.now() + interval;
  const due = () => {
    if (Date.now() < nextUpdate) return;
    for (const unit of targetUnits(host.model))
      enqueue(host.model, unit, { hook: 'update-status' });
    nextUpdate = Date.now() + interval;
  };
  for (;;) {
    due();
    await host.settle();
    const left = end - Date.now();
    if (left <= 0 || options.signal?.aborted) break;
    const wait = Math.min(options.pollMs ?? 1000, left, Math.max(0, nextUpdate - Date.now()));
    await new Promise((r) => setTimeout(r, wait));
  }
  // A settle that outlasts the window still owes the update-status that fell due in it.
  due();
  await host.settle();
}
