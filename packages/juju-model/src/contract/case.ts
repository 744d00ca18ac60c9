/**
 * One row of the hook-tool contract: a Juju behaviour, the world it happens in, the calls, and
 * what Juju answers (a result, or an exit code and Juju's stderr).
 * @module
 */
import type { HookTools } from '@charm-ts/ops';
import type { HookInfo, JujuModel, RunningAction } from '../model.ts';

/** What Juju answers to a case's last call. */
export type ContractOutcome =
  | { readonly result: unknown }
  | { readonly exitCode: 1 | 2; readonly stderr: string };

/** One Juju behaviour. */
export interface ContractCase {
  /** The behaviour, in a sentence. */
  readonly name: string;
  /** Whether `app/0` leads `app`. Default false. */
  readonly leader?: boolean;
  /** The hook `app/0` runs. Default `start`; ignored when `action` is set. */
  readonly hook?: HookInfo;
  /** An action `app/0` runs instead of a hook (params with defaults applied). */
  readonly action?: { readonly name: string; readonly params: Record<string, unknown> };
  /** Changes to the fixture before the hook. */
  readonly given?: (model: JujuModel) => void;
  /** The calls, through ops' `HookTools` interface; the last one's outcome is checked. */
  readonly run: (tools: HookTools) => Promise<unknown>;
  readonly expect: ContractOutcome;
}

/** What a target is asked to set up for one case. */
export interface ContractSetup {
  /** The fixture with the case's changes (the target may keep and change it). */
  readonly model: JujuModel;
  /** The unit running the hook or action: `app/0`. */
  readonly unit: string;
  readonly hook: HookInfo | undefined;
  readonly action: RunningAction | undefined;
}

/** Something that serves Juju's hook tools: the in-memory tools, charm-sim's executables. */
export interface HookToolTarget {
  /** Shown in the suite's name. */
  readonly name: string;
  /** The hook tools for `setup`; `close()` frees what they hold. */
  open(setup: ContractSetup): Promise<{ readonly tools: HookTools; close(): Promise<void> }>;
}

/** The relation `app:db pg:database`, as the tools take it. */
export const DB = { endpoint: 'db', id: 1 } as const;

/** The peer relation `cluster`. */
export const CLUSTER = { endpoint: 'cluster', id: 0 } as const;

/** relation-departed of `pg/1` on relation 1. */
export const DEPARTED: HookInfo = {
  hook: 'db-relation-departed',
  relationId: 1,
  remoteUnit: 'pg/1',
  remoteApp: 'pg',
  departingUnit: 'pg/1',
};

/** relation-broken of relation 1 after `juju remove-relation`: every remote unit departed. */
export const BROKEN: HookInfo = { hook: 'db-relation-broken', relationId: 1, remoteApp: 'pg' };

/** What the fixture looks like once relation 1 is being removed and its units have departed. */
export function relationRemoved(model: JujuModel): void {
  const rel = model.relations['1'];
  if (!rel) return;
  rel.dying = true;
  rel.members = { 'app/0': [], 'app/1': [] };
}
