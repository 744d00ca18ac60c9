import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { hookToolBundle } from './hook-runner.ts';
import { type AgentSocket, serveAgentSocket, type ToolRequest } from './hook-server.ts';

// The real executable against the real server; the handler stands in for the simulator.
function runTool(socket: string, args: string[], input = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [hookToolBundle(), ...args], {
      env: { JUJU_AGENT_SOCKET_ADDRESS: socket, JUJU_CONTEXT_ID: 'ctx-9' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('hook-tool executable ↔ agent socket', () => {
  const dir = tempDir('sim-sock-');
  const seen: ToolRequest[] = [];
  let socket: AgentSocket;

  beforeAll(async () => {
    socket = await serveAgentSocket(join(dir, 'agent.socket'), (request) => {
      seen.push(request);
      return request.command === 'is-leader'
        ? { code: 0, stdout: 'True\n', stderr: '' }
        : { code: 2, stdout: '', stderr: 'ERROR no relation id specified\n' };
    });
  });
  afterAll(() => socket.close());

  test('stdout, stderr and the exit code come back as the simulator answered', async () => {
    expect(await runTool(socket.path, ['is-leader'])).toEqual({
      code: 0,
      stdout: 'True\n',
      stderr: '',
    });
    expect(await runTool(socket.path, ['relation-get'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR no relation id specified\n',
    });
    expect(seen[0]).toEqual({
      contextId: 'ctx-9',
      command: 'is-leader',
      args: [],
      stdin: undefined,
    });
  });

  test('--file PATH, --file - and key#file=PATH are read inside the container', async () => {
    writeFileSync(join(dir, 'settings.yaml'), 'a: b\n');
    writeFileSync(join(dir, 'token'), 'tok');
    await runTool(socket.path, ['relation-set', '--file', join(dir, 'settings.yaml'), 'x=1']);
    expect(seen.at(-1)).toMatchObject({ args: ['--file', '-', 'x=1'], stdin: 'a: b\n' });
    await runTool(socket.path, ['state-set', '--file=-'], 'k: v\n');
    expect(seen.at(-1)).toMatchObject({ args: ['--file', '-'], stdin: 'k: v\n' });
    await runTool(socket.path, ['secret-add', `token#file=${join(dir, 'token')}`]);
    expect(seen.at(-1)).toMatchObject({ args: ['token=tok'] });
  });

  test('no agent socket: one clear line', async () => {
    const result = await runTool(join(dir, 'missing.socket'), ['is-leader']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR cannot reach the charm-sim agent at .*missing.socket/);
  });
});
