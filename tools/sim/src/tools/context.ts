/**
 * What a hook tool sees: the live model for immediate effects (status, logs, leader settings)
 * and a draft for everything Juju commits only when the hook exits 0.
 * @module
 */
import type {
  AppState,
  ModelState,
  QueuedHook,
  RelationState,
  SecretState,
  UnitState,
} from '../model.ts';

/** The transactional part of the model, cloned when a hook starts. */
export interface Draft {
  relations: Record<string, RelationState>;
  secrets: Record<string, SecretState>;
  state: Record<string, string>;
  ports: string[];
  /** Secret ids whose content got a new revision in this hook. */
  newRevisions: Set<string>;
}

/** A running action. */
export interface RunningAction {
  readonly id: number;
  readonly name: string;
  readonly params: Record<string, unknown>;
  results: Record<string, unknown>;
  failure?: string;
  readonly log: string[];
}

/** Everything a hook tool may read or change. */
export interface ToolContext {
  readonly model: ModelState;
  readonly unit: UnitState;
  readonly app: AppState;
  /** The hook being run; undefined while an action runs. */
  readonly hook: QueuedHook | undefined;
  readonly action: RunningAction | undefined;
  readonly draft: Draft;
  /** Data piped to the tool, when it was asked to read `--file -`. */
  readonly stdin: string | undefined;
  /** Writes to the unit's log at once (juju-log, hook output). */
  log(level: string, message: string): void;
  /** Persists immediate changes (status-set, leader-set, application-version-set). */
  saveNow(): void;
  /** Queues leader-settings-changed on the other units (leader-set). */
  leaderSettingsChanged(): void;
  /** Path of the unit's agent directory inside the charm container. */
  readonly agentDir: string;
  /** Host directory that appears as `agentDir` inside the charm container. */
  readonly hostAgentDir: string;
}

/** Clones the transactional part of the model for one hook. */
export function makeDraft(model: ModelState, unit: UnitState): Draft {
  return {
    relations: structuredClone(model.relations),
    secrets: structuredClone(model.secrets),
    state: { ...unit.state },
    ports: [...unit.ports],
    newRevisions: new Set(),
  };
}

/** True when the context's unit holds leadership. */
export function isLeader(ctx: ToolContext): boolean {
  return ctx.app.leader === ctx.unit.name;
}
