/**
 * Unit-level tools: status, logging, leadership, config, versions, goal state, credentials.
 * @module
 */
import { batchLines } from '../logger.ts';
import { type Run, runJson } from './run.ts';
import type { AppStatusInfo, HookTools, StatusInfo } from './types.ts';

type UnitTools = Pick<
  HookTools,
  | 'statusGet'
  | 'appStatusGet'
  | 'statusSet'
  | 'applicationVersionSet'
  | 'jujuLog'
  | 'jujuLogLines'
  | 'isLeader'
  | 'configGet'
  | 'goalState'
  | 'credentialGet'
  | 'unitGet'
  | 'leaderGet'
  | 'leaderSet'
>;

function toStatus(raw: Record<string, unknown>): StatusInfo {
  const s: StatusInfo = {
    status: String(raw.status ?? 'unknown'),
    message: String(raw.message ?? ''),
  };
  const data = raw['status-data'];
  if (data && typeof data === 'object' && Object.keys(data).length > 0)
    s.data = data as Record<string, unknown>;
  return s;
}

/** The unit-level tools over `run`. */
export function unitTools(run: Run): UnitTools {
  return {
    async statusGet() {
      return toStatus(
        ((await runJson(run, ['status-get', '--format=json', '--include-data'])) ?? {}) as Record<
          string,
          unknown
        >,
      );
    },
    async appStatusGet() {
      const out = ((await runJson(run, [
        'status-get',
        '--format=json',
        '--include-data',
        '--application',
      ])) ?? {}) as Record<string, Record<string, unknown>>;
      const app = out['application-status'] ?? {};
      const units: Record<string, StatusInfo> = {};
      for (const [u, s] of Object.entries(
        (app.units ?? {}) as Record<string, Record<string, unknown>>,
      ))
        units[u] = toStatus(s);
      const result: AppStatusInfo = { ...toStatus(app), units };
      return result;
    },
    async statusSet(status, message, app) {
      await run(['status-set', ...(app ? ['--application'] : []), status, '--', message]);
    },
    async applicationVersionSet(version) {
      await run(['application-version-set', '--', version]);
    },
    async jujuLog(level, message) {
      await run(['juju-log', '--log-level', level, '--', message]);
    },
    async jujuLogLines(lines) {
      for (const { level, message } of batchLines(lines))
        await run(['juju-log', '--log-level', level, '--', message]);
    },
    async isLeader() {
      return (await runJson(run, ['is-leader', '--format=json'])) === true;
    },
    async configGet() {
      return ((await runJson(run, ['config-get', '--format=json'])) ?? {}) as Record<
        string,
        unknown
      >;
    },
    async goalState() {
      const out = ((await runJson(run, ['goal-state', '--format=json'])) ?? {}) as Record<
        string,
        unknown
      >;
      return { units: (out.units ?? {}) as never, relations: (out.relations ?? {}) as never };
    },
    async credentialGet() {
      return ((await runJson(run, ['credential-get', '--format=json'])) ?? {}) as Record<
        string,
        unknown
      >;
    },
    async unitGet(key) {
      return String((await runJson(run, ['unit-get', '--format=json', key])) ?? '');
    },
    async leaderGet() {
      return ((await runJson(run, ['leader-get', '--format=json'])) ?? {}) as Record<
        string,
        string
      >;
    },
    async leaderSet(data) {
      await run(['leader-set', ...Object.entries(data).map(([k, v]) => `${k}=${v}`)]);
    },
  };
}
