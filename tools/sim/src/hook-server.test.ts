import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { hookToolBundle } from './hook-runner.ts';
import { type AgentSocket, serveAgentSocket, type ToolRequest } from './hook-server.ts';

const nativeClient = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'hook-tool');
const nativeMissing = existsSync(nativeClient)
  ? undefined
  : 'dist/hook-tool not built: install a C compiler (apt-get install -y gcc, or bash scripts/install-test-deps.sh), then pnpm --filter @charm-ts/sim build';
if (nativeMissing && process.env.CI) throw new Error(nativeMissing);

type Client = 'node' | 'native';

// The real executable against the real server; the handler stands in for the simulator. The
// native client is called through a symlink named after the tool, as a charm container has it.
function runTool(client: Client, socket: string, args: string[], input = '', dir = '') {
  const [tool = '', ...rest] = args;
  let command = process.execPath;
  let argv = [hookToolBundle(), ...args];
  if (client === 'native') {
    command = join(dir, 'bin', tool);
    if (!existsSync(command)) symlinkSync(nativeClient, command);
    argv = rest;
  }
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, argv, {
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
    // A client that never reads its stdin may be gone before the write lands.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

describe.each<[Client, string | undefined]>([
  ['node', undefined],
  ['native', nativeMissing],
])('hook-tool executable (%s client) ↔ agent socket', (client, missing) => {
  const dir = tempDir('sim-sock-');
  const seen: ToolRequest[] = [];
  let socket: AgentSocket;
  const run = (args: string[], input = '') => runTool(client, socket.path, args, input, dir);

  beforeAll(async () => {
    mkdirSync(join(dir, 'bin'));
    socket = await serveAgentSocket(join(dir, 'agent.socket'), (request) => {
      seen.push(request);
      if (request.command === 'is-leader') return { code: 0, stdout: 'True\n', stderr: '' };
      if (request.command === 'config-get') {
        return { code: 0, stdout: JSON.stringify(request), stderr: 'ü\n' };
      }
      return { code: 2, stdout: '', stderr: 'ERROR no relation id specified\n' };
    });
  });
  afterAll(() => socket.close());

  test.skipIf(missing)(
    `stdout, stderr and the exit code come back as the simulator answered${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      expect(await run(['is-leader'])).toEqual({ code: 0, stdout: 'True\n', stderr: '' });
      expect(await run(['relation-get'])).toEqual({
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
    },
  );

  test.skipIf(missing)(
    'arguments arrive byte for byte: empty, spaces, UTF-8, `=`, `#`',
    async () => {
      const args = ['', 'a b', 'ünïcødé ✓', 'k=v=w', '#x', '--', '-', '0:,'];
      const result = await run(['config-get', ...args]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        contextId: 'ctx-9',
        command: 'config-get',
        args,
      });
      expect(result.stderr).toBe('ü\n');
    },
  );

  test.skipIf(missing)(
    '--file PATH, --file - and key#file=PATH are read inside the container',
    async () => {
      writeFileSync(join(dir, 'settings.yaml'), 'a: b\n');
      writeFileSync(join(dir, 'token'), 'tok');
      await run(['relation-set', '--file', join(dir, 'settings.yaml'), 'x=1']);
      expect(seen.at(-1)).toMatchObject({ args: ['--file', '-', 'x=1'], stdin: 'a: b\n' });
      await run(['state-set', '--file=-'], 'k: v\n');
      expect(seen.at(-1)).toMatchObject({ args: ['--file', '-'], stdin: 'k: v\n' });
      await run(['secret-add', `token#file=${join(dir, 'token')}`]);
      expect(seen.at(-1)).toMatchObject({ args: ['token=tok'] });
      // Only secret-* read key#file=PATH; elsewhere it is a plain argument.
      await run(['relation-set', `token#file=${join(dir, 'token')}`]);
      expect(seen.at(-1)).toMatchObject({ args: [`token#file=${join(dir, 'token')}`] });
    },
  );

  test.skipIf(missing)('a 2 MiB --file - arrives whole', async () => {
    const big = `${'x'.repeat(2 * 1024 * 1024 - 1)}\n`;
    await run(['state-set', '--file', '-'], big);
    expect(seen.at(-1)?.stdin?.length).toBe(big.length);
    expect(seen.at(-1)?.stdin).toBe(big);
  });

  test.skipIf(missing)(
    'a file that cannot be read: one clear line, exit 1, nothing sent',
    async () => {
      const before = seen.length;
      const result = await run(['relation-set', '--file', join(dir, 'nope.yaml')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ERROR relation-set: cannot read .*nope\.yaml: /);
      expect(seen.length).toBe(before);
    },
  );

  test.skipIf(missing)('no agent socket: one clear line', async () => {
    const result = await runTool(client, join(dir, 'missing.socket'), ['is-leader'], '', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR cannot reach the charm-sim agent at .*missing.socket/);
  });
});

describe('agent socket: malformed requests', () => {
  const dir = tempDir('sim-sock-');
  let socket: AgentSocket;
  beforeAll(async () => {
    socket = await serveAgentSocket(join(dir, 'agent.socket'), () => ({
      code: 0,
      stdout: 'never',
      stderr: '',
    }));
  });
  afterAll(() => socket.close());

  const send = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const conn = connect(socket.path);
      let answer = '';
      conn.on('data', (chunk) => {
        answer += chunk;
      });
      conn.on('end', () => resolve(answer));
      conn.on('error', reject);
      conn.end(bytes);
    });

  test.each([
    ['JSON (the old format)', '{"command":"is-leader"}'],
    ['a length that overruns', '5:ctx,9:is-leader,'],
    ['a missing terminator', '3:ctx;'],
    ['too few fields', '3:ctx,9:is-leader,'],
    ['a bad stdin flag', '3:ctx,9:is-leader,1:x,0:,'],
  ])('%s: exit 1 with "bad request", the tool never runs', async (_name, bytes) => {
    const answer = await send(bytes);
    expect(answer).toMatch(/^1:1,0:,\d+:ERROR bad request: /);
    expect(answer).not.toContain('never');
  });
});
