/**
 * Actions, state, storage, resources, ports and networks.
 * @module
 */

import { formatPort, parsePort } from './ports.ts';
import { ref } from './relation.ts';
import { type Run, runJson } from './run.ts';
import type { HookTools, NetworkInfo } from './types.ts';

type WorkloadTools = Pick<
  HookTools,
  | 'actionGet'
  | 'actionSet'
  | 'actionLog'
  | 'actionFail'
  | 'stateGet'
  | 'stateSet'
  | 'stateDelete'
  | 'storageGet'
  | 'storageList'
  | 'storageAdd'
  | 'resourceGet'
  | 'openPort'
  | 'closePort'
  | 'openedPorts'
  | 'networkGet'
>;

function toNetwork(raw: Record<string, unknown>): NetworkInfo {
  const binds = (raw['bind-addresses'] ?? []) as Record<string, unknown>[];
  return {
    bindAddresses: binds.map((b) => ({
      macAddress: String(b['mac-address'] ?? ''),
      interfaceName: String(b['interface-name'] ?? ''),
      addresses: ((b.addresses ?? []) as Record<string, unknown>[]).map((a) => ({
        hostname: String(a.hostname ?? ''),
        value: String(a.value ?? ''),
        cidr: String(a.cidr ?? ''),
      })),
    })),
    egressSubnets: (raw['egress-subnets'] ?? []) as string[],
    ingressAddresses: (raw['ingress-addresses'] ?? []) as string[],
  };
}

/** The action, state, storage, resource, port and network tools over `run`. */
export function workloadTools(run: Run): WorkloadTools {
  const endpointsArg = (endpoints?: readonly string[]) =>
    endpoints && endpoints.length > 0 ? ['--endpoints', endpoints.join(',')] : [];
  return {
    async actionGet() {
      return ((await runJson(run, ['action-get', '--format=json'])) ?? {}) as Record<
        string,
        unknown
      >;
    },
    async actionSet(results) {
      await run(['action-set', ...Object.entries(results).map(([k, v]) => `${k}=${v}`)]);
    },
    async actionLog(message) {
      await run(['action-log', '--', message]);
    },
    async actionFail(message) {
      await run(['action-fail', ...(message === undefined ? [] : ['--', message])]);
    },
    async stateGet(key) {
      const value = await runJson(run, ['state-get', '--format=json', key]);
      return value === null ? undefined : String(value);
    },
    async stateSet(data) {
      await run(['state-set', '--file', '-'], JSON.stringify(data));
    },
    async stateDelete(key) {
      await run(['state-delete', key]);
    },
    async storageGet(storageId) {
      const argv = [
        'storage-get',
        '--format=json',
        ...(storageId === undefined ? [] : ['-s', storageId]),
      ];
      return (await runJson(run, argv)) as { kind: string; location: string };
    },
    async storageList(name) {
      return ((await runJson(run, [
        'storage-list',
        '--format=json',
        ...(name === undefined ? [] : [name]),
      ])) ?? []) as string[];
    },
    async storageAdd(counts) {
      await run(['storage-add', ...Object.entries(counts).map(([k, n]) => `${k}=${n}`)]);
    },
    async resourceGet(name) {
      return (await run(['resource-get', name])).trim();
    },
    async openPort(port, endpoints) {
      await run(['open-port', ...endpointsArg(endpoints), formatPort(port)]);
    },
    async closePort(port, endpoints) {
      await run(['close-port', ...endpointsArg(endpoints), formatPort(port)]);
    },
    async openedPorts() {
      return (((await runJson(run, ['opened-ports', '--format=json'])) ?? []) as string[]).map(
        parsePort,
      );
    },
    async networkGet(binding, relation) {
      const argv = [
        'network-get',
        '--format=json',
        ...(relation ? ['-r', ref(relation)] : []),
        binding,
      ];
      return toNetwork(((await runJson(run, argv)) ?? {}) as Record<string, unknown>);
    },
  };
}
