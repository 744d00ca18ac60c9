/**
 * What a hook-tool executable's call becomes: the tool's argv, run against the unit's
 * `HookContext` (@charm-ts/juju-model: the rules, the hook's draft, the simulator as its host),
 * with what the executable sent on stdin. Each tool parses argv as Juju's does, applies the
 * model's rule and renders the answer in Juju's formats.
 * @module
 */
import type { HookContext } from '@charm-ts/juju-model';

/** One hook tool: argv (and stdin) in, what it prints out; throws `JujuError`. */
export type Tool = (ctx: HookContext, args: string[], stdin: string | undefined) => string;
