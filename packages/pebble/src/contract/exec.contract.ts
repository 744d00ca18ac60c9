/**
 * The exec contract: what `exec` and its process handle must do on any `Pebble`. Commands are
 * limited to ones a test double can model by prefix: `/bin/sh -c …`, `cat`, `echo`, `env`,
 * `pwd`, `sleep`.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { APIError, ExecError, TimeoutError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { binaryPattern } from './files.contract.ts';
import { rejectionOf, useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Registers the exec contract tests against the target `makeTarget` builds. */
export function describeExecContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('exec contract', () => {
    let target: ContractTarget;
    let pebble: Pebble;

    useTarget(makeTarget, (built) => {
      target = built;
      pebble = built.pebble;
    });

    it('sends stdin to the process and returns its stdout', async () => {
      const process = await pebble.exec(['cat'], { stdin: 'hello\nworld\n' });
      expect(process.stdin).toBeNull();
      expect(await process.waitOutput()).toEqual({ stdout: 'hello\nworld\n', stderr: '' });
    });

    it('streams stdin written to an interactive process', async () => {
      const process = await pebble.exec(['cat'], { interactive: true });
      expect(process.stdin).not.toBeNull();
      process.stdin?.write('one ');
      process.stdin?.end('two');
      expect((await process.waitOutput()).stdout).toBe('one two');
    });

    it('round-trips binary data through stdin and stdout', async () => {
      const data = binaryPattern(3 * 1024 * 1024 + 7);
      const process = await pebble.exec(['cat'], { stdin: data });
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdout) chunks.push(chunk as Buffer);
      expect(await process.wait()).toBe(0);
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
    });

    it('keeps stderr apart from stdout', async () => {
      const process = await pebble.exec(['/bin/sh', '-c', 'echo out; echo err >&2']);
      expect(process.stderr).not.toBeNull();
      expect(await process.waitOutput()).toEqual({ stdout: 'out\n', stderr: 'err\n' });
    });

    it('merges stderr into stdout with combineStderr', async () => {
      const process = await pebble.exec(['/bin/sh', '-c', 'echo out; echo err >&2'], {
        combineStderr: true,
      });
      expect(process.stderr).toBeNull();
      const { stdout, stderr } = await process.waitOutput();
      expect(stdout.split('\n').sort()).toEqual(['', 'err', 'out']);
      expect(stderr).toBe('');
    });

    it('reports a non-zero exit: wait() returns it, waitOutput() throws ExecError', async () => {
      const command = ['/bin/sh', '-c', 'echo partial; echo broken >&2; exit 3'];
      expect(await (await pebble.exec(command)).wait()).toBe(3);
      const error = await rejectionOf((await pebble.exec(command)).waitOutput());
      expect(error).toBeInstanceOf(ExecError);
      expect(error).toMatchObject({
        exitCode: 3,
        stdout: 'partial\n',
        stderr: 'broken\n',
        command,
      });
    });

    it('passes the environment and the working directory', async () => {
      const env = await pebble.exec(['env'], {
        environment: { CHARM_TS_VAR: 'a value=with=equals' },
      });
      expect((await env.waitOutput()).stdout).toContain('CHARM_TS_VAR=a value=with=equals\n');
      const pwd = await pebble.exec(['pwd'], { workingDir: target.scratchDir });
      expect((await pwd.waitOutput()).stdout).toBe(`${target.scratchDir}\n`);
      const echo = await pebble.exec(['echo', '-n', 'plain']);
      expect((await echo.waitOutput()).stdout).toBe('plain');
    });

    it('kills the process after timeoutMs with a TimeoutError', async () => {
      const process = await pebble.exec(['sleep', '10'], { timeoutMs: 300 });
      const error = await rejectionOf(process.wait());
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toContain('timed out after');
      // The streams end too, so nothing reading them hangs.
      for await (const _ of process.stdout) {
        // Drained.
      }
    });

    it('delivers a signal: SIGTERM ends sleep with 128+15', async () => {
      const process = await pebble.exec(['sleep', '10']);
      // Sent at once: a signal that arrives while the process is still starting is not lost.
      await process.signal('SIGTERM');
      expect(await process.wait()).toBe(143);
    });

    it('refuses an executable that does not exist with an APIError', async () => {
      const error = await rejectionOf(pebble.exec(['/nonexistent/charm-ts-no-such-binary']));
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(400);
      expect((error as APIError).message).toContain('charm-ts-no-such-binary');
    });
  });
}
