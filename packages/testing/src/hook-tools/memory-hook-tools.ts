/**
 * `MemoryHookTools`: Juju's hook tools in memory, over a World. Each method follows the real
 * tool's rules and fails with the real tool's exit code and stderr (as `HookToolError`), so
 * the runtime's error translation is exercised too: a non-leader writing app data gets
 * `ERROR cannot write relation settings`, an unknown relation `relation not found`, and so on.
 * @module
 */
import {
  type AppStatusInfo,
  type CloudSpec,
  type GoalState,
  HookToolError,
  type HookTools,
  type LogLevel,
  type NetworkInfo,
  type Port,
  type RelationRef,
  type SecretAddOptions,
  type SecretGetOptions,
  type SecretInfo,
  type SecretLookup,
  type SecretRevokeOptions,
  type SecretSetOptions,
  type SettableStatus,
  type StatusInfo,
  type StorageInfo,
} from '@charm-ts/ops';
import type { ToolKit } from './secret-tools.ts';
import * as secrets from './secret-tools.ts';
import type { World, WorldRelation } from './world.ts';

const settable = ['maintenance', 'blocked', 'waiting', 'active'];

function toolName(method: string): string {
  return method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function portText(port: Port): string {
  if (port.protocol === 'icmp') return 'icmp';
  const range = port.toPort !== undefined ? `${port.port}-${port.toPort}` : `${port.port}`;
  return `${range}/${port.protocol}`;
}

function samePort(a: Port, b: Port): boolean {
  return a.protocol === b.protocol && a.port === b.port && a.toPort === b.toPort;
}

/** The default network of a binding, as Juju reports a pod's. */
export function defaultNetwork(): NetworkInfo {
  return {
    bindAddresses: [
      {
        macAddress: '',
        interfaceName: 'eth0',
        addresses: [{ hostname: '', value: '192.0.2.0', cidr: '192.0.2.0/24' }],
      },
    ],
    egressSubnets: ['192.0.2.0/24'],
    ingressAddresses: ['192.0.2.0'],
  };
}

/** Juju's hook tools over a World. */
export class MemoryHookTools implements HookTools {
  readonly #w: World;

  constructor(world: World) {
    this.#w = world;
    this.#kit = { ...this.#kit, world };
  }

  #call(method: string, args: unknown[]): void {
    this.#w.calls.push({ tool: toolName(method), args: structuredClone(args) });
  }

  /** Fails as the tool does: `ERROR <message>` on stderr. */
  #fail(argv: string[], message: string, exitCode = 1): never {
    throw new HookToolError(argv, exitCode, `ERROR ${message}`);
  }

  #relation(tool: string, ref: RelationRef): WorldRelation {
    const relation = this.#w.relations.get(ref.id);
    if (!relation || relation.endpoint !== ref.endpoint) {
      this.#fail(
        [tool, '-r', `${ref.endpoint}:${ref.id}`],
        `invalid value "${ref.endpoint}:${ref.id}" for option -r: relation not found`,
        2,
      );
    }
    return relation;
  }

  #action(tool: string): NonNullable<World['action']> {
    if (!this.#w.action) this.#fail([tool], 'not running an action');
    return this.#w.action;
  }

  async actionGet(): Promise<Record<string, unknown>> {
    this.#call('actionGet', []);
    return structuredClone(this.#action('action-get').params);
  }

  async actionSet(results: Record<string, string>): Promise<void> {
    this.#call('actionSet', [results]);
    Object.assign(this.#action('action-set').results, results);
  }

  async actionLog(message: string): Promise<void> {
    this.#call('actionLog', [message]);
    this.#action('action-log').logs.push(message);
  }

  async actionFail(message?: string): Promise<void> {
    this.#call('actionFail', [message]);
    const action = this.#action('action-fail');
    action.failed = true;
    action.failure = message ?? 'action failed without reason given, check action for errors';
  }

  async applicationVersionSet(version: string): Promise<void> {
    this.#call('applicationVersionSet', [version]);
    this.#w.workloadVersion = version;
    this.#w.workloadVersionHistory.push(version);
  }

  async configGet(): Promise<Record<string, unknown>> {
    this.#call('configGet', []);
    return { ...this.#w.config };
  }

  async credentialGet(): Promise<CloudSpec> {
    this.#call('credentialGet', []);
    if (!this.#w.trusted)
      this.#fail(['credential-get'], 'cannot access cloud credentials: permission denied');
    return { type: 'kubernetes', name: 'k8s', endpoint: 'https://192.0.2.1:6443', credential: {} };
  }

  async goalState(): Promise<GoalState> {
    this.#call('goalState', []);
    const units: GoalState['units'] = {};
    for (let i = 0; i < this.#w.plannedUnits; i++)
      units[`${this.#w.appName}/${i}`] = { status: 'active' };
    const relations: GoalState['relations'] = {};
    for (const rel of this.#w.relations.values()) {
      const bucket = relations[rel.endpoint] ?? {};
      relations[rel.endpoint] = bucket;
      bucket[rel.remoteApp] = { status: 'joined' };
      for (const unit of rel.remoteUnits.keys()) bucket[unit] = { status: 'active' };
    }
    return { units, relations };
  }

  async isLeader(): Promise<boolean> {
    this.#call('isLeader', []);
    return this.#w.leader;
  }

  async jujuLog(level: LogLevel, message: string): Promise<void> {
    this.#call('jujuLog', [level, message]);
    this.#w.logs.push({ level, message });
  }

  async networkGet(binding: string, relation?: RelationRef): Promise<NetworkInfo> {
    this.#call('networkGet', [binding, relation]);
    if (relation) this.#relation('network-get', relation);
    const known = (['requires', 'provides', 'peers'] as const).some(
      (r) => binding in this.#w.meta.endpoints[r],
    );
    const given = this.#w.networks[binding];
    if (!known && !given)
      this.#fail(['network-get', binding], `no network config found for binding "${binding}"`);
    return structuredClone(given ?? defaultNetwork());
  }

  async openPort(port: Port, endpoints?: readonly string[]): Promise<void> {
    this.#call('openPort', [port, endpoints]);
    this.#w.portChanges.push({ open: true, port: { ...port } });
  }

  async closePort(port: Port, endpoints?: readonly string[]): Promise<void> {
    this.#call('closePort', [port, endpoints]);
    this.#w.portChanges.push({ open: false, port: { ...port } });
  }

  async openedPorts(): Promise<Port[]> {
    this.#call('openedPorts', []);
    // Juju lists the ports already open: pending opens and closes apply when the hook ends.
    return structuredClone(this.#w.openedPorts);
  }

  async relationIds(endpoint: string): Promise<number[]> {
    this.#call('relationIds', [endpoint]);
    return [...this.#w.relations.values()]
      .filter((r) => r.endpoint === endpoint && r.id !== this.#w.brokenRelationId)
      .map((r) => r.id);
  }

  async relationList(ref: RelationRef): Promise<string[]> {
    this.#call('relationList', [ref]);
    const relation = this.#relation('relation-list', ref);
    return [...relation.remoteUnits.keys()].filter((u) => u !== this.#w.departingUnit);
  }

  async relationListApp(ref: RelationRef): Promise<string> {
    this.#call('relationListApp', [ref]);
    return this.#relation('relation-list', ref).remoteApp;
  }

  async relationGet(
    ref: RelationRef,
    unitOrApp: string,
    app: boolean,
  ): Promise<Record<string, string>> {
    this.#call('relationGet', [ref, unitOrApp, app]);
    const relation = this.#relation('relation-get', ref);
    const argv = [
      'relation-get',
      '-r',
      `${ref.endpoint}:${ref.id}`,
      ...(app ? ['--app'] : []),
      '-',
      unitOrApp,
    ];
    if (app) {
      if (unitOrApp === this.#w.appName) {
        if (!relation.peer && !this.#w.leader) this.#fail(argv, 'permission denied');
        return { ...relation.localAppData };
      }
      if (unitOrApp === relation.remoteApp) return { ...relation.remoteAppData };
      this.#fail(
        argv,
        `cannot read settings for application "${unitOrApp}" in relation "${ref.endpoint}:${ref.id}": not found`,
      );
    }
    if (unitOrApp === this.#w.unitName) return { ...relation.localUnitData };
    const bag = relation.remoteUnits.get(unitOrApp);
    if (!bag) {
      this.#fail(
        argv,
        `cannot read settings for unit "${unitOrApp}" in relation "${ref.endpoint}:${ref.id}": unit "${unitOrApp}": settings not found`,
      );
    }
    return { ...bag };
  }

  async relationSet(ref: RelationRef, data: Record<string, string>, app: boolean): Promise<void> {
    this.#call('relationSet', [ref, data, app]);
    const relation = this.#relation('relation-set', ref);
    if (app && !this.#w.leader) {
      this.#fail(
        ['relation-set', '-r', `${ref.endpoint}:${ref.id}`, '--app', '--file', '-'],
        'cannot write relation settings',
      );
    }
    const bag = app ? relation.localAppData : relation.localUnitData;
    for (const [key, value] of Object.entries(data)) {
      if (value === '') delete bag[key];
      else bag[key] = value;
    }
  }

  async relationModelGet(ref: RelationRef): Promise<{ uuid: string }> {
    this.#call('relationModelGet', [ref]);
    const relation = this.#relation('relation-model-get', ref);
    return { uuid: relation.remoteModelUuid ?? this.#w.modelUuid };
  }

  async resourceGet(name: string): Promise<string> {
    this.#call('resourceGet', [name]);
    const path = this.#w.resources[name];
    if (path === undefined) {
      this.#fail(
        ['resource-get', name],
        `could not download resource: HTTP request failed: resource "${name}" not found`,
      );
    }
    return path;
  }

  readonly #kit: ToolKit = {
    world: undefined as unknown as World,
    call: (method, args) => this.#call(method, args),
    fail: (argv, message, exitCode) => this.#fail(argv, message, exitCode),
    relation: (tool, ref) => this.#relation(tool, ref),
  };

  secretAdd(content: Record<string, string>, options?: SecretAddOptions): Promise<string> {
    return secrets.secretAdd(this.#kit, content, options);
  }
  secretGet(options: SecretGetOptions): Promise<Record<string, string>> {
    return secrets.secretGet(this.#kit, options);
  }
  secretSet(id: string, options: SecretSetOptions): Promise<void> {
    return secrets.secretSet(this.#kit, id, options);
  }
  secretGrant(id: string, relation: RelationRef, unit?: string): Promise<void> {
    return secrets.secretGrant(this.#kit, id, relation, unit);
  }
  secretRevoke(id: string, options: SecretRevokeOptions): Promise<void> {
    return secrets.secretRevoke(this.#kit, id, options);
  }
  secretRemove(id: string, revision?: number): Promise<void> {
    return secrets.secretRemove(this.#kit, id, revision);
  }
  secretIds(): Promise<string[]> {
    return secrets.secretIds(this.#kit);
  }
  secretInfoGet(lookup: SecretLookup): Promise<SecretInfo> {
    return secrets.secretInfoGet(this.#kit, lookup);
  }

  async stateGet(key: string): Promise<string | undefined> {
    this.#call('stateGet', [key]);
    return this.#w.jujuState.get(key);
  }

  async stateSet(data: Record<string, string>): Promise<void> {
    this.#call('stateSet', [Object.keys(data)]);
    for (const [key, value] of Object.entries(data)) {
      if (Buffer.byteLength(value) > 65536) {
        this.#fail(
          ['state-set', '--file', '-'],
          `value for key "${key}" exceeds the 65536 byte limit`,
        );
      }
      this.#w.jujuState.set(key, value);
    }
  }

  async stateDelete(key: string): Promise<void> {
    this.#call('stateDelete', [key]);
    this.#w.jujuState.delete(key);
  }

  async statusGet(): Promise<StatusInfo> {
    this.#call('statusGet', []);
    return { ...this.#w.unitStatus };
  }

  async appStatusGet(): Promise<AppStatusInfo> {
    this.#call('appStatusGet', []);
    if (!this.#w.leader) {
      this.#fail(
        ['status-get', '--application'],
        'finding application status: this unit is not the leader',
      );
    }
    return { ...this.#w.appStatus, units: { [this.#w.unitName]: { ...this.#w.unitStatus } } };
  }

  async statusSet(status: SettableStatus, message: string, app: boolean): Promise<void> {
    this.#call('statusSet', [status, message, app]);
    const argv = ['status-set', `--application=${app}`, status, '--', message];
    if (!settable.includes(status)) {
      this.#fail(
        argv,
        `invalid status "${status}", expected one of [maintenance blocked waiting active]`,
        2,
      );
    }
    if (app && !this.#w.leader)
      this.#fail(argv, 'setting application status: this unit is not the leader');
    const value = { status, message };
    if (app) {
      this.#w.appStatus = value;
      this.#w.appStatusHistory.push(value);
    } else {
      this.#w.unitStatus = value;
      this.#w.unitStatusHistory.push(value);
    }
  }

  #storageId(tool: string, storageId: string | undefined): string {
    const id = storageId ?? this.#w.currentStorage;
    if (!id) this.#fail([tool], 'no storage instance specified');
    return id;
  }

  async storageGet(storageId?: string): Promise<StorageInfo> {
    this.#call('storageGet', [storageId]);
    const id = this.#storageId('storage-get', storageId);
    const found = this.#w.storages.find((s) => `${s.name}/${s.index}` === id);
    if (!found)
      this.#fail(
        ['storage-get', '-s', id],
        `invalid value "${id}" for option -s: storage instance "${id}" not found`,
        2,
      );
    return { kind: found.kind, location: found.location };
  }

  async storageList(name?: string): Promise<string[]> {
    this.#call('storageList', [name]);
    return this.#w.storages
      .filter((s) => name === undefined || s.name === name)
      .map((s) => `${s.name}/${s.index}`);
  }

  async storageAdd(counts: Record<string, number>): Promise<void> {
    this.#call('storageAdd', [counts]);
    for (const [name, count] of Object.entries(counts)) {
      if (!(name in this.#w.meta.storage)) {
        this.#fail(['storage-add', `${name}=${count}`], `storage "${name}" not found`);
      }
      this.#w.storageAdds[name] = (this.#w.storageAdds[name] ?? 0) + count;
    }
  }

  async unitGet(key: 'private-address' | 'public-address'): Promise<string> {
    this.#call('unitGet', [key]);
    return '192.0.2.0';
  }

  async leaderGet(): Promise<Record<string, string>> {
    this.#call('leaderGet', []);
    return {};
  }

  async leaderSet(data: Record<string, string>): Promise<void> {
    this.#call('leaderSet', [data]);
    if (!this.#w.leader) {
      this.#fail(
        ['leader-set'],
        'cannot write leadership settings: cannot write settings: not the leader',
      );
    }
  }
}

export { portText, samePort };
