/**
 * relation-ids, relation-list, relation-get, relation-set, relation-model-get.
 * @module
 */
import { HookToolError } from '../errors.ts';
import { type Run, runJson } from './run.ts';
import type { HookTools, RelationRef } from './types.ts';

/** `db:7` — the endpoint lets Juju check that the id belongs to it. */
export const ref = (r: RelationRef): string => `${r.endpoint}:${r.id}`;

type RelationTools = Pick<
  HookTools,
  | 'relationIds'
  | 'relationList'
  | 'relationListApp'
  | 'relationGet'
  | 'relationSet'
  | 'relationModelGet'
>;

/** The relation tools over `run`. */
export function relationTools(run: Run): RelationTools {
  return {
    async relationIds(endpoint) {
      const argv = ['relation-ids', '--format=json', endpoint];
      const ids = ((await runJson(run, argv)) ?? []) as string[];
      return ids.map((id) => {
        const n = Number(id.slice(id.lastIndexOf(':') + 1));
        if (!Number.isInteger(n))
          throw new HookToolError(argv, 0, `unexpected relation id '${id}'`);
        return n;
      });
    },
    async relationList(relation) {
      return ((await runJson(run, ['relation-list', '--format=json', '-r', ref(relation)])) ??
        []) as string[];
    },
    async relationListApp(relation) {
      return ((await runJson(run, [
        'relation-list',
        '--format=json',
        '--app',
        '-r',
        ref(relation),
      ])) ?? '') as string;
    },
    async relationGet(relation, unitOrApp, app) {
      const argv = [
        'relation-get',
        '--format=json',
        '-r',
        ref(relation),
        ...(app ? ['--app'] : []),
        '-',
        unitOrApp,
      ];
      return ((await runJson(run, argv)) ?? {}) as Record<string, string>;
    },
    async relationSet(relation, data, app) {
      await run(
        ['relation-set', '-r', ref(relation), ...(app ? ['--app'] : []), '--file', '-'],
        JSON.stringify(data),
      );
    },
    async relationModelGet(relation) {
      return (await runJson(run, ['relation-model-get', '--format=json', '-r', ref(relation)])) as {
        uuid: string;
      };
    },
  };
}
