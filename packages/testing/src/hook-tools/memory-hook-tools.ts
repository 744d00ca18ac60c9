/**
 * `MemoryHookTools`: Juju's hook tools in memory, a thin adapter over @charm-ts/juju-model's
 * rules. Each method records the call, applies the rule to the World's model and fails as the
 * real tool does: `HookToolError` with Juju's exit code and `ERROR <message>` on stderr, so the
 * runtime's error translation is exercised too. The same rules answer charm-sim's hook-tool
 * executables, and one contract suite (`@charm-ts/juju-model/contract`) runs against both.
 * @module
 */
import * as juju from '@charm-ts/juju-model';
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
import type { World } from './world.ts';

const ref = (r: RelationRef): string => `${r.endpoint}:${r.id}`;

const toolNames = new Map<string, string>();

/** `relationGet` → `relation-get`. */
function toolName(method: string): string {
  let name = toolNames.get(method);
  if (name === undefined) {
    name = method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    toolNames.set(method, name);
  }
  return name;
}

/** A deep copy of a call's arguments (plain data), cheaper than structuredClone for them. */
function copyArgs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyArgs) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = copyArgs(inner);
  return out as T;
}

function statusInfo(s: juju.JujuStatus): StatusInfo {
  return { status: s.status, message: s.message };
}

/** Juju's hook tools over a World. */
export class MemoryHookTools implements HookTools {
  readonly #w: World;
  readonly #ctx: juju.HookContext;

  constructor(world: World) {
    this.#w = world;
    this.#ctx = world.context;
  }

  /**
   * Records the call, then runs `rule`: a `JujuError` becomes the `HookToolError` the real
   * tool (`argv`) gives.
   */
  async #run<T>(
    method: string,
    args: unknown[],
    argv: string[],
    rule: (ctx: juju.HookContext) => T,
  ): Promise<T> {
    this.#w.calls.push({ tool: toolName(method), args: copyArgs(args) });
    try {
      return rule(this.#ctx);
    } catch (error) {
      if (error instanceof juju.JujuError) {
        throw new HookToolError(argv, error.exitCode, `ERROR ${error.message}`);
      }
      throw error;
    }
  }

  actionGet(): Promise<Record<string, unknown>> {
    return this.#run('actionGet', [], ['action-get'], (c) => {
      return juju.actionGet(c) as Record<string, unknown>;
    });
  }

  actionSet(results: Record<string, string>): Promise<void> {
    return this.#run('actionSet', [results], ['action-set'], (c) => juju.actionSet(c, results));
  }

  actionLog(message: string): Promise<void> {
    return this.#run('actionLog', [message], ['action-log'], (c) => juju.actionLog(c, message));
  }

  actionFail(message?: string): Promise<void> {
    return this.#run('actionFail', [message], ['action-fail'], (c) => juju.actionFail(c, message));
  }

  applicationVersionSet(version: string): Promise<void> {
    return this.#run('applicationVersionSet', [version], ['application-version-set'], (c) =>
      juju.applicationVersionSet(c, version),
    );
  }

  configGet(): Promise<Record<string, unknown>> {
    return this.#run('configGet', [], ['config-get'], (c) => juju.configGet(c));
  }

  credentialGet(): Promise<CloudSpec> {
    return this.#run('credentialGet', [], ['credential-get'], (c) => juju.credentialGet(c));
  }

  goalState(): Promise<GoalState> {
    return this.#run('goalState', [], ['goal-state'], (c) => juju.goalState(c) as GoalState);
  }

  isLeader(): Promise<boolean> {
    return this.#run('isLeader', [], ['is-leader'], (c) => juju.isLeader(c));
  }

  jujuLog(level: LogLevel, message: string): Promise<void> {
    return this.#run('jujuLog', [level, message], ['juju-log'], (c) =>
      juju.jujuLog(c, level, message),
    );
  }

  networkGet(binding: string, relation?: RelationRef): Promise<NetworkInfo> {
    const argv = ['network-get', ...(relation ? ['-r', ref(relation)] : []), binding];
    return this.#run('networkGet', [binding, relation], argv, (c) => {
      if (relation) c.relation(ref(relation));
      return structuredClone(juju.networkGet(c, binding));
    });
  }

  openPort(port: Port, endpoints?: readonly string[]): Promise<void> {
    return this.#run('openPort', [port, endpoints], ['open-port'], (c) =>
      juju.openPort(c, juju.parsePortSpec(juju.portText(port))),
    );
  }

  closePort(port: Port, endpoints?: readonly string[]): Promise<void> {
    return this.#run('closePort', [port, endpoints], ['close-port'], (c) =>
      juju.closePort(c, juju.parsePortSpec(juju.portText(port))),
    );
  }

  openedPorts(): Promise<Port[]> {
    return this.#run('openedPorts', [], ['opened-ports'], (c) =>
      juju.openedPorts(c).map(juju.portFromText),
    );
  }

  relationIds(endpoint: string): Promise<number[]> {
    return this.#run('relationIds', [endpoint], ['relation-ids', endpoint], (c) =>
      juju.relationIds(c, endpoint).map((r) => r.id),
    );
  }

  relationList(relation: RelationRef): Promise<string[]> {
    return this.#run('relationList', [relation], ['relation-list', '-r', ref(relation)], (c) =>
      juju.relationList(c, c.relation(ref(relation))),
    );
  }

  relationListApp(relation: RelationRef): Promise<string> {
    const argv = ['relation-list', '--app', '-r', ref(relation)];
    return this.#run('relationListApp', [relation], argv, (c) =>
      juju.relationListApp(c, c.relation(ref(relation))),
    );
  }

  relationGet(
    relation: RelationRef,
    unitOrApp: string,
    app: boolean,
  ): Promise<Record<string, string>> {
    const argv = ['relation-get', '-r', ref(relation), ...(app ? ['--app'] : []), '-', unitOrApp];
    return this.#run('relationGet', [relation, unitOrApp, app], argv, (c) =>
      juju.relationGet(c, c.relation(ref(relation)), unitOrApp, app),
    );
  }

  relationSet(relation: RelationRef, data: Record<string, string>, app: boolean): Promise<void> {
    const argv = ['relation-set', '-r', ref(relation), ...(app ? ['--app'] : []), '--file', '-'];
    return this.#run('relationSet', [relation, data, app], argv, (c) =>
      juju.relationSet(c, c.relation(ref(relation)), data, app),
    );
  }

  relationModelGet(relation: RelationRef): Promise<{ uuid: string }> {
    const argv = ['relation-model-get', '-r', ref(relation)];
    return this.#run('relationModelGet', [relation], argv, (c) =>
      juju.relationModelGet(c, c.relation(ref(relation))),
    );
  }

  resourceGet(name: string): Promise<string> {
    return this.#run('resourceGet', [name], ['resource-get', name], (c) =>
      juju.resourceGet(c, name),
    );
  }

  secretAdd(content: Record<string, string>, options: SecretAddOptions = {}): Promise<string> {
    // Never the content: a test may print the calls.
    const argv = ['secret-add', '--owner', options.owner ?? 'application'];
    return this.#run('secretAdd', [Object.keys(content), { ...options }], argv, (c) =>
      juju.secretAdd(c, content, options),
    );
  }

  secretGet(options: SecretGetOptions): Promise<Record<string, string>> {
    const argv = ['secret-get', ...(options.id ? [options.id] : [])];
    return this.#run('secretGet', [{ ...options }], argv, (c) => juju.secretGet(c, options));
  }

  secretSet(id: string, options: SecretSetOptions): Promise<void> {
    const shown = { ...options, content: options.content && Object.keys(options.content) };
    return this.#run('secretSet', [id, shown], ['secret-set', id], (c) =>
      juju.secretSet(c, id, options),
    );
  }

  secretGrant(id: string, relation: RelationRef, unit?: string): Promise<void> {
    const argv = ['secret-grant', '--relation', ref(relation), id];
    return this.#run('secretGrant', [id, relation, unit], argv, (c) =>
      juju.secretGrant(c, id, c.relation(ref(relation)), unit),
    );
  }

  secretRevoke(id: string, options: SecretRevokeOptions): Promise<void> {
    return this.#run('secretRevoke', [id, { ...options }], ['secret-revoke', id], (c) =>
      juju.secretRevoke(c, id, {
        relation: options.relation && c.relation(ref(options.relation)),
        app: options.app,
        unit: options.unit,
      }),
    );
  }

  secretRemove(id: string, revision?: number): Promise<void> {
    return this.#run('secretRemove', [id, revision], ['secret-remove', id], (c) =>
      juju.secretRemove(c, id, revision),
    );
  }

  secretIds(): Promise<string[]> {
    return this.#run('secretIds', [], ['secret-ids'], (c) => juju.secretIds(c));
  }

  secretInfoGet(lookup: SecretLookup): Promise<SecretInfo> {
    return this.#run('secretInfoGet', [{ ...lookup }], ['secret-info-get'], (c) => {
      const { owner: _owner, ...info } = juju.secretInfoGet(c, lookup);
      return info as SecretInfo;
    });
  }

  stateGet(key: string): Promise<string | undefined> {
    return this.#run('stateGet', [key], ['state-get', key], (c) => juju.stateGet(c, key));
  }

  stateSet(data: Record<string, string>): Promise<void> {
    // Keys only: values may be large, and are the charm's own business.
    return this.#run('stateSet', [Object.keys(data)], ['state-set', '--file', '-'], (c) =>
      juju.stateSet(c, data),
    );
  }

  stateDelete(key: string): Promise<void> {
    return this.#run('stateDelete', [key], ['state-delete', key], (c) => juju.stateDelete(c, key));
  }

  statusGet(): Promise<StatusInfo> {
    return this.#run('statusGet', [], ['status-get'], (c) => statusInfo(juju.statusGet(c)));
  }

  appStatusGet(): Promise<AppStatusInfo> {
    return this.#run('appStatusGet', [], ['status-get', '--application'], (c) => {
      const { status, units } = juju.appStatusGet(c);
      const byUnit = Object.fromEntries(Object.entries(units).map(([n, s]) => [n, statusInfo(s)]));
      return { ...statusInfo(status), units: byUnit };
    });
  }

  statusSet(status: SettableStatus, message: string, app: boolean): Promise<void> {
    const argv = ['status-set', ...(app ? ['--application'] : []), status, '--', message];
    return this.#run('statusSet', [status, message, app], argv, (c) =>
      juju.statusSet(c, status, message, app),
    );
  }

  storageGet(storageId?: string): Promise<StorageInfo> {
    const argv = ['storage-get', ...(storageId ? ['-s', storageId] : [])];
    return this.#run('storageGet', [storageId], argv, (c) => {
      const { kind, location } = juju.storageGet(c, storageId);
      return { kind, location };
    });
  }

  storageList(name?: string): Promise<string[]> {
    return this.#run('storageList', [name], ['storage-list'], (c) => juju.storageList(c, name));
  }

  storageAdd(counts: Record<string, number>): Promise<void> {
    return this.#run('storageAdd', [counts], ['storage-add'], (c) => juju.storageAdd(c, counts));
  }

  unitGet(key: 'private-address' | 'public-address'): Promise<string> {
    return this.#run('unitGet', [key], ['unit-get', key], (c) => juju.unitGet(c, key));
  }

  leaderGet(): Promise<Record<string, string>> {
    return this.#run('leaderGet', [], ['leader-get'], (c) => juju.leaderGet(c));
  }

  leaderSet(data: Record<string, string>): Promise<void> {
    return this.#run('leaderSet', [data], ['leader-set'], (c) => juju.leaderSet(c, data));
  }
}
