/**
 * The environment Juju gives `dispatch` for each kind of hook (reference §2), and nothing else.
 * @module
 */
import { storageLocation } from '@charm-ts/juju-model';
import type { ModelState, QueuedHook } from './model.ts';

/** The Juju version the simulator reports: 3.6 has every event the simulator fires. */
export const JUJU_VERSION = '3.6.4';

/** Where a unit's agent directory is inside the charm container. */
export function agentDir(unit: string): string {
  return `/var/lib/juju/agents/unit-${unit.replace('/', '-')}`;
}

/** Where a unit's hook tools are inside the charm container. */
export function toolsDir(unit: string): string {
  return `/var/lib/juju/tools/unit-${unit.replace('/', '-')}`;
}

/**
 * What is being run: a hook, an action, or a command in the unit's hook context
 * (`juju exec`: the command instead of `dispatch`, with the hook tools, no event).
 */
export type Dispatch =
  | { readonly kind: 'hook'; readonly hook: QueuedHook }
  | { readonly kind: 'action'; readonly id: number; readonly name: string }
  | { readonly kind: 'exec'; readonly command: readonly string[] };

/** Builds the hook environment for `unit`. */
export function hookEnv(
  model: ModelState,
  unit: string,
  dispatch: Dispatch,
  contextId: string,
): Record<string, string> {
  const agent = agentDir(unit);
  const env: Record<string, string> = {
    CHARM_DIR: `${agent}/charm`,
    JUJU_CHARM_DIR: `${agent}/charm`,
    JUJU_CONTEXT_ID: contextId,
    JUJU_HOOK_NAME: dispatch.kind === 'hook' ? dispatch.hook.hook : '',
    JUJU_DISPATCH_PATH:
      dispatch.kind === 'hook'
        ? `hooks/${dispatch.hook.hook}`
        : dispatch.kind === 'action'
          ? `actions/${dispatch.name}`
          : '',
    JUJU_AGENT_SOCKET_ADDRESS: `${agent}/agent.socket`,
    JUJU_AGENT_SOCKET_NETWORK: 'unix',
    JUJU_UNIT_NAME: unit,
    JUJU_MODEL_UUID: model.uuid,
    JUJU_MODEL_NAME: model.name,
    JUJU_API_ADDRESSES: '',
    JUJU_SLA: 'unsupported',
    JUJU_MACHINE_ID: '',
    JUJU_PRINCIPAL_UNIT: '',
    JUJU_AVAILABILITY_ZONE: '',
    CLOUD_API_VERSION: '',
    JUJU_VERSION,
    JUJU_CHARM_HTTP_PROXY: '',
    JUJU_CHARM_HTTPS_PROXY: '',
    JUJU_CHARM_FTP_PROXY: '',
    JUJU_CHARM_NO_PROXY: '',
    PATH: `${toolsDir(unit)}:/charm/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    APT_LISTCHANGES_FRONTEND: 'none',
    DEBIAN_FRONTEND: 'noninteractive',
    LANG: 'C.UTF-8',
    TERM: 'tmux-256color',
  };
  if (dispatch.kind === 'action') {
    env.JUJU_ACTION_NAME = dispatch.name;
    env.JUJU_ACTION_UUID = String(dispatch.id);
    env.JUJU_ACTION_TAG = `action-${dispatch.id}`;
    return env;
  }
  if (dispatch.kind === 'exec') return env;
  const hook = dispatch.hook;
  if (hook.relationId !== undefined) {
    const rel = model.relations[String(hook.relationId)];
    const app = unit.split('/')[0];
    const endpoint = rel?.endpoints.find((e) => e.app === app)?.endpoint ?? '';
    env.JUJU_RELATION = endpoint;
    env.JUJU_RELATION_ID = `${endpoint}:${hook.relationId}`;
    env.JUJU_REMOTE_UNIT = hook.remoteUnit ?? '';
    env.JUJU_REMOTE_APP = hook.remoteApp ?? '';
    if (hook.departingUnit) env.JUJU_DEPARTING_UNIT = hook.departingUnit;
  }
  if (hook.workload) {
    env.JUJU_WORKLOAD_NAME = hook.workload;
    if (hook.noticeId) {
      env.JUJU_NOTICE_ID = hook.noticeId;
      env.JUJU_NOTICE_TYPE = hook.noticeType ?? '';
      env.JUJU_NOTICE_KEY = hook.noticeKey ?? '';
    }
    if (hook.checkName) env.JUJU_PEBBLE_CHECK_NAME = hook.checkName;
  }
  if (hook.secretId) {
    env.JUJU_SECRET_ID = hook.secretId;
    env.JUJU_SECRET_LABEL = hook.secretLabel ?? '';
    if (hook.secretRevision) env.JUJU_SECRET_REVISION = String(hook.secretRevision);
  }
  if (hook.storageId) {
    const name = hook.storageId.split('/')[0] ?? '';
    const spec = model.apps[unit.split('/')[0] ?? '']?.charm.storage[name];
    env.JUJU_STORAGE_ID = hook.storageId;
    env.JUJU_STORAGE_LOCATION = storageLocation(name, spec?.location);
    env.JUJU_STORAGE_KIND = spec?.type ?? 'filesystem';
  }
  return env;
}
