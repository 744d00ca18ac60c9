/**
 * secret-add/-get/-set/-grant/-revoke/-remove/-ids/-info-get. Content goes through private
 * temporary files (`key#file=<path>`), never on the command line.
 * @module
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HookToolError } from '../errors.ts';
import { ref } from './relation.ts';
import { type Run, runJson } from './run.ts';
import type { HookTools, SecretInfo, SecretMetadataOptions } from './types.ts';

const SECRET_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

type SecretTools = Pick<
  HookTools,
  | 'secretAdd'
  | 'secretGet'
  | 'secretSet'
  | 'secretGrant'
  | 'secretRevoke'
  | 'secretRemove'
  | 'secretIds'
  | 'secretInfoGet'
>;

function metadataArgs(o: SecretMetadataOptions): string[] {
  const args: string[] = [];
  if (o.label !== undefined) args.push('--label', o.label);
  if (o.description !== undefined) args.push('--description', o.description);
  if (o.expire !== undefined) args.push('--expire', o.expire);
  if (o.rotate !== undefined) args.push('--rotate', o.rotate);
  return args;
}

/** Writes each value to a 0600 file in a fresh 0700 directory, runs `body`, then deletes it. */
async function withContentFiles<T>(
  cmd: string,
  content: Record<string, string>,
  body: (args: string[]) => Promise<T>,
): Promise<T> {
  const keys = Object.keys(content);
  for (const key of keys) {
    if (!SECRET_KEY.test(key)) {
      throw new HookToolError(
        [cmd],
        2,
        `invalid secret key '${key}': use at least 3 lowercase letters, digits and dashes, starting with a letter`,
      );
    }
  }
  if (keys.length === 0) return body([]);
  // Loaded here, not at the top: node:fs/promises costs every hook a few ms to load.
  const { mkdtemp, rm, writeFile } = process.getBuiltinModule('node:fs/promises');
  const dir = await mkdtemp(join(tmpdir(), 'charm-secret-'));
  try {
    const args: string[] = [];
    for (const key of keys) {
      const file = join(dir, key);
      await writeFile(file, content[key] as string, { mode: 0o600 });
      args.push(`${key}#file=${file}`);
    }
    return await body(args);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The secret tools over `run`. */
export function secretTools(run: Run): SecretTools {
  return {
    secretAdd(content, options = {}) {
      const head = [
        'secret-add',
        ...metadataArgs(options),
        '--owner',
        options.owner ?? 'application',
      ];
      return withContentFiles('secret-add', content, async (files) =>
        (await run([...head, ...files])).trim(),
      );
    },
    async secretGet({ id, label, peek, refresh }) {
      const argv = ['secret-get', '--format=json'];
      if (id !== undefined) argv.push(id);
      if (label !== undefined) argv.push('--label', label);
      if (refresh) argv.push('--refresh');
      if (peek) argv.push('--peek');
      return ((await runJson(run, argv)) ?? {}) as Record<string, string>;
    },
    async secretSet(id, options) {
      const head = ['secret-set', ...metadataArgs(options), id];
      await withContentFiles('secret-set', options.content ?? {}, (files) =>
        run([...head, ...files]),
      );
    },
    async secretGrant(id, relation, unit) {
      await run([
        'secret-grant',
        '--relation',
        ref(relation),
        ...(unit ? ['--unit', unit] : []),
        id,
      ]);
    },
    async secretRevoke(id, { relation, app, unit }) {
      const argv = ['secret-revoke'];
      if (relation) argv.push('--relation', ref(relation));
      if (app !== undefined) argv.push('--app', app);
      if (unit !== undefined) argv.push('--unit', unit);
      await run([...argv, id]);
    },
    async secretRemove(id, revision) {
      await run([
        'secret-remove',
        id,
        ...(revision === undefined ? [] : ['--revision', String(revision)]),
      ]);
    },
    async secretIds() {
      return ((await runJson(run, ['secret-ids', '--format=json'])) ?? []) as string[];
    },
    async secretInfoGet({ id, label }) {
      const argv = ['secret-info-get', '--format=json'];
      if (id !== undefined) argv.push(id);
      if (label !== undefined) argv.push('--label', label);
      const out = ((await runJson(run, argv)) ?? {}) as Record<string, Record<string, unknown>>;
      const [key, raw] = Object.entries(out)[0] ?? [];
      if (key === undefined || raw === undefined)
        throw new HookToolError(argv, 0, 'secret-info-get answered no secret');
      // Juju keys the answer by the bare id and prints an unset label as ''.
      const info: SecretInfo = {
        id: key.startsWith('secret:') ? key : `secret:${key}`,
        revision: Number(raw.revision ?? 0),
      };
      for (const k of ['label', 'description', 'expiry', 'rotates'] as const) {
        if (typeof raw[k] === 'string' && raw[k] !== '') info[k] = raw[k] as string;
      }
      if (typeof raw.rotation === 'string' && raw.rotation !== '')
        info.rotation = raw.rotation as SecretInfo['rotation'] & string;
      return info;
    },
  };
}
