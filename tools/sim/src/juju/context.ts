/**
 * What a juju command gets to run: its parsed arguments, the controller, output, and the
 * model it works on (opened with its lock, or read without one).
 * @module
 */
import { SimError } from '../errors.ts';
import type { ModelState } from '../model.ts';
import { Simulator } from '../simulator.ts';
import type { JujuArgs, OptionSpec } from './args.ts';
import type { Controller, ModelEntry } from './controller.ts';

/** The model a command works on. */
export interface SelectedModel {
  readonly name: string;
  readonly entry: ModelEntry;
}

/** What a command gets to run. */
export interface JujuContext {
  readonly args: JujuArgs;
  readonly controller: Controller;
  readonly env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** The model `--model` (or `$JUJU_MODEL`, or the current one) names. */
  model(): SelectedModel;
  /** The selected model's state as it is on disk: no lock, nothing run. */
  readModel(): SelectedModel & { readonly state: ModelState };
  /**
   * Opens the selected model (waiting up to a minute for a command that holds it), runs
   * `body`, and closes it (unless `body` destroyed it). Hook failures are not errors: as in
   * Juju, the unit shows them in `status`.
   */
  withModel<T>(
    body: (sim: Simulator, model: SelectedModel) => Promise<T>,
    options?: { readonly hookTimeoutMs?: number },
  ): Promise<T>;
}

/** One command of the juju front. */
export interface JujuCommand {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** The usage line after the command's name, in `--help`. */
  readonly usage: string;
  /** What it does, in `juju help`. */
  readonly summary: string;
  /** Its flags (`--model` is added unless `model` is false). */
  readonly flags?: Readonly<Record<string, OptionSpec>>;
  /** Juju flags charm-sim does not honour: parsed, then refused by name (exit 2). */
  readonly unsupportedFlags?: Readonly<Record<string, OptionSpec>>;
  /** False for commands that do not work on a model (version, models, add-model…). */
  readonly model?: boolean;
  /**
   * Optional: splits the raw arguments itself (ssh: everything after the target is the
   * remote command); returns the part for the flag parser and the rest.
   */
  readonly split?: (argv: readonly string[]) => [readonly string[], readonly string[]];
  run(context: JujuContext, rest: readonly string[]): Promise<number>;
}

/** How long a command waits for another command that holds the model. */
const LOCK_WAIT_MS = 60_000;

/**
 * Opens the model in `dir`, waiting (up to a minute) while another command holds it: Juju
 * queues concurrent commands at the controller rather than refusing them.
 * @throws SimError `STATE_LOCKED` when it is still held after that, and what `open` throws.
 */
export async function openWaiting(
  dir: string,
  options: { readonly modelName?: string; readonly hookTimeoutMs?: number },
  progress: (line: string) => void,
): Promise<Simulator> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return Simulator.open({
        stateDir: dir,
        progress,
        ...(options.modelName ? { modelName: options.modelName } : {}),
        ...(options.hookTimeoutMs ? { hookTimeoutMs: options.hookTimeoutMs } : {}),
      });
    } catch (error) {
      if (!(error instanceof SimError) || error.code !== 'STATE_LOCKED' || Date.now() > deadline) {
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
