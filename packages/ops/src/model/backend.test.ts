import { describe, expect, it } from 'vitest';
import {
  HookToolError,
  JujuVersionError,
  ModelError,
  RelationNotFoundError,
  SecretNotFoundError,
} from '../errors.ts';
import { processHookTools } from '../hook-tools/process.ts';
import { parseJujuVersion } from '../juju-version.ts';
import { modelBackend, translateToolError } from './backend.ts';

// Juju's own texts (reference: juju-hook-environment.md §3).
const cases: [string[], number, string, new (...a: never[]) => Error, string][] = [
  [
    ['relation-get', '-r', 'unknown:123'],
    2,
    'ERROR invalid value "unknown:123" for option -r: relation not found',
    RelationNotFoundError,
    'invalid value "unknown:123" for option -r: relation not found',
  ],
  [
    ['network-get', '-r', 'db:9', 'db'],
    2,
    'ERROR invalid value "db:9" for option -r: relation not found',
    RelationNotFoundError,
    'invalid value "db:9" for option -r: relation not found',
  ],
  [
    ['secret-get', 'secret:x'],
    1,
    'ERROR secret "x" not found',
    SecretNotFoundError,
    'secret "x" not found',
  ],
  [
    ['secret-info-get', 'secret:x'],
    1,
    'ERROR secret "x" not found',
    SecretNotFoundError,
    'secret "x" not found',
  ],
  [
    ['relation-get', '--app', '-', 'me'],
    1,
    'ERROR permission denied',
    ModelError,
    'permission denied',
  ],
  [
    ['relation-set', '--app'],
    1,
    'ERROR cannot write relation settings',
    ModelError,
    'cannot write relation settings',
  ],
  [
    ['status-set', '--application', 'active'],
    1,
    'ERROR this unit is not the leader',
    ModelError,
    'this unit is not the leader',
  ],
  [
    ['status-set', 'foo'],
    2,
    'ERROR invalid status "foo", expected one of [maintenance blocked waiting active]',
    ModelError,
    'invalid status "foo", expected one of [maintenance blocked waiting active]',
  ],
  [
    ['network-get', 'x'],
    1,
    'ERROR no network config found for binding "x"',
    ModelError,
    'no network config found for binding "x"',
  ],
  [['action-get'], 1, 'ERROR not running an action', ModelError, 'not running an action'],
  [
    ['secret-add'],
    1,
    'ERROR this unit is not the leader',
    ModelError,
    'this unit is not the leader',
  ],
  [
    ['credential-get'],
    1,
    'ERROR cannot access cloud credentials: permission denied',
    ModelError,
    'cannot access cloud credentials: permission denied',
  ],
  [['relation-get'], 2, 'error: no relation id specified', ModelError, 'no relation id specified'],
];

describe('translateToolError', () => {
  it.each(cases)('%j exit %i: %s', (cmd, code, stderr, cls, message) => {
    const out = translateToolError(new HookToolError(cmd, code, stderr)) as Error;
    expect(out).toBeInstanceOf(cls);
    expect(out.constructor).toBe(cls);
    expect(out.message).toBe(message);
    expect((out as ModelError).cause).toBeInstanceOf(HookToolError);
  });

  it('passes other errors through', () => {
    const e = new TypeError('x');
    expect(translateToolError(e)).toBe(e);
  });
});

describe('modelBackend', () => {
  const failing = processHookTools(async (argv) => {
    throw new HookToolError(
      argv,
      2,
      'ERROR invalid value "db:1" for option -r: relation not found',
    );
  });

  it('translates failures of every tool', async () => {
    const tools = modelBackend(failing, parseJujuVersion('3.6.4'));
    await expect(tools.relationList({ endpoint: 'db', id: 1 })).rejects.toBeInstanceOf(
      RelationNotFoundError,
    );
  });

  it('refuses leader-get/-set on Juju 4 before running them', async () => {
    let ran = 0;
    const tools = modelBackend(
      processHookTools(async () => {
        ran++;
        return '{}';
      }),
      parseJujuVersion('4.0.1'),
    );
    await expect(tools.leaderGet()).rejects.toThrow(JujuVersionError);
    await expect(tools.leaderSet({ a: 'b' })).rejects.toThrow(
      /leader-set does not exist in Juju 4\+/,
    );
    expect(ran).toBe(0);
    await expect(
      modelBackend(
        processHookTools(async () => '{}'),
        parseJujuVersion('3.6.0'),
      ).leaderGet(),
    ).resolves.toEqual({});
  });

  it('refuses relation-model-get before Juju 3.6.2', async () => {
    const tools = modelBackend(
      processHookTools(async () => '{"uuid":"u"}'),
      parseJujuVersion('3.5.0'),
    );
    await expect(tools.relationModelGet({ endpoint: 'db', id: 1 })).rejects.toThrow(
      'relation-model-get needs Juju 3.6.2 or later; this is Juju 3.5.0',
    );
  });

  it('wraps methods of class-based implementations too', async () => {
    class Tools {
      async isLeader() {
        throw new HookToolError(['is-leader'], 1, 'ERROR boom');
      }
    }
    const tools = modelBackend(new Tools() as never, parseJujuVersion('3.6.0'));
    await expect(tools.isLeader()).rejects.toBeInstanceOf(ModelError);
  });
});
