/**
 * Test helper: hook tools over a scripted `run` that records every argv, answers `state-get`
 * from (and keeps `state-set` in) a small store, and takes canned answers per tool.
 * @module
 */
import { processHookTools } from '../src/hook-tools/process.ts';
import { STATE_KEY } from '../src/state.ts';

/** A fake Juju: tools, the calls they made, and the stored charm state. */
export function fakeJuju(
  answers: Record<string, string | ((argv: readonly string[]) => string)> = {},
) {
  const calls: string[][] = [];
  const stdins: (string | undefined)[] = [];
  const state: Record<string, string> = {};
  const tools = processHookTools(async (argv, stdin) => {
    calls.push([...argv]);
    stdins.push(stdin);
    const [cmd] = argv;
    if (cmd === 'state-get') {
      const v = state[argv[2] as string];
      return v === undefined ? '' : JSON.stringify(v);
    }
    if (cmd === 'state-set') {
      Object.assign(state, JSON.parse(stdin ?? '{}'));
      return '';
    }
    const a = answers[cmd as string];
    if (a === undefined) return '';
    return typeof a === 'function' ? a(argv) : a;
  });
  return {
    calls,
    stdins,
    state,
    tools,
    /** The persisted charm state, parsed. */
    persisted: () => JSON.parse(state[STATE_KEY] ?? '{}') as Record<string, unknown>,
    reset: () => {
      calls.length = 0;
      stdins.length = 0;
    },
  };
}

/** A hook environment for `demo/0` on Juju 3.6.4. */
export function hookEnv(name: string, extra: Record<string, string> = {}) {
  return {
    JUJU_DISPATCH_PATH: `hooks/${name}`,
    JUJU_UNIT_NAME: 'demo/0',
    JUJU_MODEL_NAME: 'm',
    JUJU_MODEL_UUID: 'uuid-1',
    JUJU_VERSION: '3.6.4',
    JUJU_CHARM_DIR: '/var/lib/juju/agents/unit-demo-0/charm',
    ...extra,
  };
}
