/**
 * `Binding` and `Network`: where an endpoint is bound, as ops' Binding/Network give it.
 * @module
 */
import type { NetworkInfo } from '../hook-tools/types.ts';
import type { Runtime } from '../internal/runtime.ts';
import type { Relation } from './relation.ts';

/** One address of a bound interface. */
export interface NetworkInterface {
  /** The interface's name, e.g. `eth0`. */
  readonly name: string;
  /** Its MAC address ('' when Juju does not know it). */
  readonly macAddress: string;
  /** The address, e.g. `10.1.2.3`. */
  readonly address: string;
  /** The subnet in CIDR form, e.g. `10.1.2.0/24` ('' when Juju gave none). */
  readonly cidr: string;
  /** The host name Juju gave for the address ('' when none). */
  readonly hostname: string;
}

/** A binding's network, from `network-get`. Addresses are strings, as Juju writes them. */
export interface Network {
  /** Every address of every bound interface. */
  readonly interfaces: readonly NetworkInterface[];
  /** The address to listen on: the first interface's first address, or undefined. */
  readonly bindAddress: string | undefined;
  /** The address other units reach this one at: the first ingress address, or undefined. */
  readonly ingressAddress: string | undefined;
  /** Every ingress address, preferred first. */
  readonly ingressAddresses: readonly string[];
  /** The subnets traffic from this unit comes from (what a firewall on the other side allows). */
  readonly egressSubnets: readonly string[];
}

/** An endpoint or extra-binding, optionally as one relation sees it. */
export class Binding {
  /** The endpoint or extra-binding's name. */
  readonly name: string;
  /** The relation it was asked for, if any. */
  readonly relation: Relation | undefined;
  readonly #rt: Runtime;

  /** @internal Built by `Model.binding`. */
  constructor(rt: Runtime, name: string, relation?: Relation) {
    this.#rt = rt;
    this.name = name;
    this.relation = relation;
  }

  /**
   * The binding's network (`network-get`, once per dispatch per binding and relation). Throws
   * `ModelError` for an unknown binding (`no network config found for binding …`),
   * `RelationNotFoundError` when the relation is gone.
   */
  async network(): Promise<Network> {
    const ref = this.relation?.ref;
    const key = `network-get ${this.name} ${ref ? `${ref.endpoint}:${ref.id}` : ''}`;
    return toNetwork(await this.#rt.memo(key, () => this.#rt.tools.networkGet(this.name, ref)));
  }
}

/** `network-get` output → `Network`. */
export function toNetwork(info: NetworkInfo): Network {
  const interfaces = info.bindAddresses.flatMap((bind) =>
    bind.addresses.map(
      (a): NetworkInterface => ({
        name: bind.interfaceName,
        macAddress: bind.macAddress,
        address: a.value,
        cidr: a.cidr,
        hostname: a.hostname,
      }),
    ),
  );
  return {
    interfaces,
    bindAddress: interfaces[0]?.address,
    ingressAddress: info.ingressAddresses[0],
    ingressAddresses: [...info.ingressAddresses],
    egressSubnets: [...info.egressSubnets],
  };
}
