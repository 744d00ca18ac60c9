/**
 * The World: what the in-memory hook tools work on during one dispatch: a Juju model built from
 * the test's State, the unit's hook context over it (whose Draft Juju would commit only when the
 * hook exits 0), and the records a test reads afterwards (logs, statuses, every tool call).
 * @module
 */
import type { HookContext, JujuModel, RunningAction } from '@charm-ts/juju-model';
import type { LogLevel } from '@charm-ts/ops';
import type { StatusValue } from '../state/types.ts';

/** One hook-tool call, as a test sees it. */
export interface HookToolCall {
  /** The tool, e.g. `relation-set`. */
  readonly tool: string;
  /** The arguments given to the HookTools method. */
  readonly args: readonly unknown[];
}

/** What the in-memory tools work on during one dispatch, and what they record. */
export interface World {
  readonly model: JujuModel;
  /** The unit running the event; `context.draft` holds what a successful hook commits. */
  readonly context: HookContext;
  /** The running action, when the event is one. */
  readonly action: RunningAction | undefined;
  readonly logs: Array<{ level: LogLevel; message: string }>;
  readonly unitStatusHistory: StatusValue[];
  readonly appStatusHistory: StatusValue[];
  readonly workloadVersionHistory: string[];
  readonly calls: HookToolCall[];
}
