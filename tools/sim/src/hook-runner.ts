/**
 * Running one hook or action: serve the unit's agent socket, run `dispatch` in the charm
 * container with the hook's environment, log its output, commit on exit 0.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beginHook, HookContext, type RunningAction } from '@charm-ts/juju-model';
import type { Binaries } from './binaries.ts';
import { commitDraft } from './commit.ts';
import { SimError } from './errors.ts';
import { enqueue } from './events.ts';
import { agentDir, type Dispatch, hookEnv } from './hook-env.ts';
import { type AgentSocket, serveAgentSocket } from './hook-server.ts';
import {
  type AppState,
  type ModelState,
  type QueuedHook,
  status,
  type UnitState,
} from './model.ts';
import { pausePoint } from './pause.ts';
import { charmContainerArgv, type SharedDirs, UnitPaths } from './pod.ts';
import { type RunResult, runProcess } from './runner.ts';
import { stampSecrets } from './secret-times.ts';
import { simHookHost } from './tools/host.ts';
import { runTool, TOOLS } from './tools/index.ts';

/** What running a hook needs from the simulator. */
export interface HookHost {
  readonly stateDir: string;
  readonly model: ModelState;
  readonly hookTimeoutMs: number;
  bins(): Binaries;
  log(unit: string, level: string, message: string): void;
  save(): void;
}

/**
 * Runs `dispatch` for a hook or an action on `unit`; never rejects for a failing hook (the
 * result says how it ended). On exit 0 the hook's changes are committed.
 */
export async function runDispatch(
  host: HookHost,
  unit: UnitState,
  dispatch: Dispatch,
  action?: RunningAction,
): Promise<RunResult> {
  const bins = host.bins();
  const app = host.model.apps[unit.app] as AppState;
  const shared = sharedDirs(host.stateDir, bins);
  const paths = new UnitPaths(host.stateDir, unit.name);
  const label =
    dispatch.kind === 'hook'
      ? dispatch.hook.hook
      : dispatch.kind === 'action'
        ? `action ${dispatch.name}`
        : 'juju-exec';
  const contextId = `${unit.name}-${label.replace(/\s/g, '-')}-${randomUUID().slice(0, 8)}`;
  const ctx = unitHookContext(
    host,
    unit,
    dispatch.kind === 'hook' ? dispatch.hook : undefined,
    action,
  );
  const server = await serveHookTools(paths.socket, contextId, ctx, (tool) =>
    // The tool's name only: arguments may carry secret content.
    host.log(unit.name, 'TRACE', `juju.worker.uniter.jujuc running hook tool "${tool}"`),
  );
  unit.agentStatus = status('executing', `running ${label} hook`);
  host.save();
  const env = hookEnv(host.model, unit.name, dispatch, contextId);
  const command = dispatch.kind === 'exec' ? dispatch.command : undefined;
  const argv = charmContainerArgv(bins, host.stateDir, shared, app, unit, env, command);
  let result: Awaited<ReturnType<typeof runProcess>>;
  try {
    result = await runProcess(
      argv,
      host.hookTimeoutMs,
      (stream, line) =>
        host.log(
          unit.name,
          stream === 'stdout' ? 'DEBUG' : 'WARNING',
          `unit.${unit.name}.${label} ${line}`,
        ),
      (pid) => {
        unit.hookPid = pid;
        host.save();
        pausePoint('hook-started');
      },
    );
  } finally {
    delete unit.hookPid;
    await server.close();
  }
  unit.agentStatus = status('idle');
  if (result.code === 0 && !result.timedOut) {
    const secretsBefore = host.model.secrets;
    commitDraft(host.model, unit, app, ctx.draft);
    stampSecrets(secretsBefore, host.model.secrets, ctx.draft.newRevisions);
    host.log(
      unit.name,
      'INFO',
      `juju.worker.uniter.operation ran "${label}" hook (via hook dispatching script: dispatch)`,
    );
  }
  host.save();
  return result;
}

/**
 * The hook context of `unit` running `hook` (or `action`): @charm-ts/juju-model's rules over the
 * model, with a fresh draft, and the simulator as its host.
 */
export function unitHookContext(
  host: Pick<HookHost, 'stateDir' | 'model' | 'log' | 'save'>,
  unit: UnitState,
  hook: QueuedHook | undefined,
  action?: RunningAction,
): HookContext {
  const app = host.model.apps[unit.app] as AppState;
  return new HookContext({
    model: host.model,
    unit: unit.name,
    hook,
    action,
    draft: beginHook(host.model, unit),
    host: simHookHost({
      model: host.model,
      unit,
      app,
      log: (level, message) => host.log(unit.name, level, `unit.${unit.name}.juju-log ${message}`),
      save: () => host.save(),
      leaderSettingsChanged: () => {
        for (const other of app.units) {
          if (other !== unit.name) enqueue(host.model, other, { hook: 'leader-settings-changed' });
        }
      },
      agentDir: agentDir(unit.name),
      hostAgentDir: new UnitPaths(host.stateDir, unit.name).agent,
    }),
  });
}

/**
 * Serves the agent socket at `path` for one hook: each call that carries `contextId` runs its
 * tool against `ctx` (`trace` hears each tool's name); any other is refused.
 */
export function serveHookTools(
  path: string,
  contextId: string,
  ctx: HookContext,
  trace: (tool: string) => void,
): Promise<AgentSocket> {
  return serveAgentSocket(path, (request) => {
    if (request.contextId !== contextId) {
      return { code: 1, stdout: '', stderr: `ERROR bad request: wrong context ID\n` };
    }
    trace(request.command);
    return runTool(ctx, request.command, request.args, request.stdin);
  });
}

// State dirs whose tools this process has (re)written, with the client they run: once per
// process, so a newer charm-sim never runs an older client left in the state directory.
const prepared = new Map<string, HookToolClient['kind']>();

/**
 * The hook tools every charm container sees (rewritten once per process). With the compiled
 * client, each tool is a symlink to /charm/bin/hook-tool, which takes the tool from its name;
 * with the Node.js client, each is a shell shim running /charm/bin/hook-tool.cjs.
 */
export function sharedDirs(stateDir: string, bins: Binaries): SharedDirs {
  const bin = join(stateDir, 'bin');
  const tools = join(stateDir, 'tools');
  const client = hookToolClient();
  const installed = join(bin, client.kind === 'native' ? 'hook-tool' : 'hook-tool.cjs');
  if (prepared.get(stateDir) !== client.kind || !existsSync(installed)) {
    prepared.set(stateDir, client.kind);
    mkdirSync(bin, { recursive: true });
    mkdirSync(tools, { recursive: true });
    rmSync(installed, { force: true });
    copyFileSync(client.path, installed);
    chmodSync(installed, 0o755);
    rmSync(join(bin, 'pebble'), { force: true });
    symlinkSync(bins.pebble, join(bin, 'pebble'));
    for (const name of Object.keys(TOOLS)) {
      const tool = join(tools, name);
      rmSync(tool, { force: true });
      if (client.kind === 'native') {
        symlinkSync('/charm/bin/hook-tool', tool);
      } else {
        writeFileSync(
          tool,
          `#!/bin/sh\nexec ${process.execPath} /charm/bin/hook-tool.cjs "\${0##*/}" "$@"\n`,
        );
        chmodSync(tool, 0o755);
      }
    }
  }
  return { bin, tools };
}

/** The hook-tool client the units run. */
export interface HookToolClient {
  /** `native`: dist/hook-tool, compiled at build; `node`: dist/hook-tool.cjs, the fallback. */
  readonly kind: 'native' | 'node';
  readonly path: string;
}

/**
 * The compiled client when `pnpm build` could compile it (a C compiler was there), else the
 * Node.js one. `CHARM_SIM_HOOK_TOOL=node` chooses the Node.js client (bench/sim compares them).
 * @throws SimError `MISSING_BINARY` when neither has been built.
 */
export function hookToolClient(): HookToolClient {
  if (process.env.CHARM_SIM_HOOK_TOOL !== 'node') {
    const native = builtFile('hook-tool');
    if (native) return { kind: 'native', path: native };
  }
  return { kind: 'node', path: hookToolBundle() };
}

function builtFile(name: string): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, name), join(here, '..', 'dist', name)].find((path) => existsSync(path));
}

/**
 * The bundled hook-tool client: beside the bundled CLI, or in dist/ when running from source.
 * @throws SimError `MISSING_BINARY` when it has not been built.
 */
export function hookToolBundle(): string {
  const found = builtFile('hook-tool.cjs');
  if (found) return found;
  throw new SimError(
    'MISSING_BINARY',
    'dist/hook-tool.cjs not built: run pnpm --filter @charm-ts/sim build',
  );
}
