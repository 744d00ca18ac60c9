/**
 * The hook-tool contract suite (`@charm-ts/juju-model/contract`) against charm-sim's hook-tool
 * executables, spawned as a hook spawns them: @charm-ts/ops' process tools run the tool from
 * PATH (the client charm-sim runs: a symlink to dist/hook-tool when it was compiled, else a shim
 * running dist/hook-tool.cjs), which sends argv and stdin to the agent socket of a
 * simulator model set up for the case. The in-memory tools of @charm-ts/testing run the same
 * table; a failure here is fixed in @charm-ts/juju-model or in the executable's adapter.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JujuModel } from '@charm-ts/juju-model';
import { describeHookToolContract } from '@charm-ts/juju-model/contract';
import { processHookTools } from '@charm-ts/ops';
import { tempDir } from '../test/temp.ts';
import type { CharmInfo } from './charm.ts';
import { hookToolClient, serveHookTools, unitHookContext } from './hook-runner.ts';
import {
  type AppState,
  type ModelState,
  type QueuedHook,
  status,
  type UnitState,
} from './model.ts';
import { newModel } from './store.ts';
import { TOOLS } from './tools/index.ts';

const dir = tempDir('sim-contract-');
const bin = join(dir, 'bin');

/** One executable per tool, as charm-sim puts them on a charm's PATH. */
function writeShims(): void {
  const client = hookToolClient();
  mkdirSync(bin, { recursive: true });
  for (const name of Object.keys(TOOLS)) {
    const tool = join(bin, name);
    if (client.kind === 'native') {
      symlinkSync(client.path, tool);
      continue;
    }
    writeFileSync(tool, `#!/bin/sh\nexec ${process.execPath} ${client.path} "\${0##*/}" "$@"\n`);
    chmodSync(tool, 0o755);
  }
}

/** The simulator's model for a contract case: its records plus a simulator's own fields. */
function simModel(fixture: JujuModel): ModelState {
  const model = newModel(dir);
  Object.assign(model, { uuid: fixture.uuid, name: fixture.name });
  model.relations = fixture.relations;
  model.secrets = fixture.secrets;
  for (const [name, app] of Object.entries(fixture.apps)) {
    // The fixture's charm says what the rules read; a simulator's charm says more.
    const charm = { name, containers: {}, resources: {}, actions: {}, ...app.charm } as CharmInfo;
    model.apps[name] = {
      ...app,
      charm,
      charmFile: '',
      charmRevision: 1,
      resources: {},
      nextUnit: app.units.length,
      ...(app.status ? { status: { since: '', ...app.status } } : {}),
    } as AppState;
  }
  for (const [name, unit] of Object.entries(fixture.units)) {
    model.units[name] = {
      ...unit,
      workloadStatus: { since: '', ...unit.workloadStatus },
      agentStatus: status('idle'),
      queue: [],
      netns: '',
      podIndex: 0,
      containers: {},
      installed: true,
      started: true,
    } as UnitState;
  }
  return model;
}

writeShims();
const PATH = process.env.PATH ?? '';
let contexts = 0;

describeHookToolContract({
  name: 'charm-sim hook-tool executables',
  async open(setup) {
    const model = simModel(setup.model);
    const unit = model.units[setup.unit];
    if (!unit) throw new Error(`no unit ${setup.unit}`);
    const host = { stateDir: dir, model, log: () => {}, save: () => {} };
    const ctx = unitHookContext(host, unit, setup.hook as QueuedHook | undefined, setup.action);
    const contextId = `contract-${++contexts}`;
    const socket = join(dir, `${contexts}.socket`);
    const server = await serveHookTools(socket, contextId, ctx, () => {});
    // The tools find the agent as a hook's tools do: from the environment.
    Object.assign(process.env, {
      PATH: `${bin}:${PATH}`,
      JUJU_AGENT_SOCKET_ADDRESS: socket,
      JUJU_CONTEXT_ID: contextId,
    });
    return { tools: processHookTools(), close: () => server.close() };
  },
});
