/**
 * network-get, unit-get.
 * @module
 */
import type { NetworkInfo } from '@charm-ts/ops';
import type { HookContext } from './context.ts';
import { runError } from './errors.ts';

/** The endpoint every charm has without declaring it (`provides: juju-info`). */
export const IMPLICIT_BINDING = 'juju-info';

function declared(ctx: HookContext, binding: string): boolean {
  const { endpoints } = ctx.app.charm;
  return (
    binding === IMPLICIT_BINDING ||
    binding in endpoints.requires ||
    binding in endpoints.provides ||
    binding in endpoints.peers ||
    ctx.host.extraBindings.includes(binding)
  );
}

/**
 * `network-get`: the addresses of a binding (an endpoint, an extra binding, or `juju-info`).
 * @throws JujuError exit 1 `no network config found for binding "x"`.
 */
export function networkGet(ctx: HookContext, binding: string): NetworkInfo {
  if (!declared(ctx, binding)) {
    throw runError(`no network config found for binding "${binding}"`);
  }
  return ctx.host.network(binding);
}

/** `unit-get private-address|public-address`: the unit's address. */
export function unitGet(ctx: HookContext, _key: 'private-address' | 'public-address'): string {
  return ctx.unit.address;
}
