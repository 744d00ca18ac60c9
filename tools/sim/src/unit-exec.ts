/**
 * Running a command in a unit, as `juju exec` and `juju ssh` do: in the charm container with
 * the unit's hook context (hook tools work, what they change commits on exit 0), in the charm
 * container as a plain shell, or in a workload container through its Pebble.
 * @module
 */
import { ExecError, PebbleClient, TimeoutError } from '@charm-ts/pebble';
import { type CommandHost, findApp, findUnit } from './command-host.ts';
import { SimError } from './errors.ts';
import { runDispatch, sharedDirs } from './hook-runner.ts';
import { type ActionRecord, now } from './model.ts';
import { charmContainerArgv, UnitPaths } from './pod.ts';
import { runProcess } from './runner.ts';

/** What a command run in a unit printed, and how it ended. */
export interface CommandResult {
  /** Its exit code; null when it was killed at the timeout. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * Runs `command` (a shell command line) in `unitName`'s charm container with its hook context,
 * after the queued hooks, as a task named `juju-exec` (kept with the actions). Its status is
 * `completed` whatever the exit code (as Juju's), `failed` when killed at `timeoutMs`.
 * @throws SimError `UNKNOWN_UNIT`.
 */
export async function execInHookContext(
  host: CommandHost,
  unitName: string,
  command: string,
  timeoutMs: number,
): Promise<ActionRecord> {
  const unit = findUnit(host.model, unitName);
  const enqueued = now();
  await host.settle();
  const id = host.model.nextActionId++;
  host.progress(`running juju-exec on ${unitName}`);
  const started = now();
  const result = await runDispatch({ ...host, hookTimeoutMs: timeoutMs }, unit, {
    kind: 'exec',
    command: ['/bin/sh', '-c', command],
  });
  const record: ActionRecord = {
    id,
    unit: unitName,
    name: 'juju-exec',
    status: result.timedOut ? 'failed' : 'completed',
    results: {},
    log: [],
    returnCode: result.timedOut ? null : result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    enqueued,
    started,
    completed: now(),
    ...(result.timedOut ? { message: `timed out after ${timeoutMs / 1000}s` } : {}),
  };
  host.model.actions.push(record);
  await host.settle();
  return record;
}

/**
 * Runs `command` (a shell command line) in one of `unitName`'s containers without a hook
 * context: a workload container through its Pebble (`container`), else the charm container.
 * @throws SimError `UNKNOWN_UNIT`, `BAD_ARGUMENT` for a container the charm does not have.
 */
export async function runInContainer(
  host: CommandHost,
  unitName: string,
  command: string,
  options: { readonly container?: string | undefined; readonly timeoutMs: number },
): Promise<CommandResult> {
  const unit = findUnit(host.model, unitName);
  const app = findApp(host.model, unit.app);
  await host.settle();
  const { container } = options;
  if (container === undefined || container === 'charm') {
    const env = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      HOME: '/root',
    };
    const argv = charmContainerArgv(
      host.bins(),
      host.stateDir,
      sharedDirs(host.stateDir, host.bins()),
      app,
      unit,
      env,
      ['/bin/sh', '-c', command],
    );
    return runProcess(argv, options.timeoutMs, () => {});
  }
  if (!app.charm.containers[container]) {
    const known = ['charm', ...Object.keys(app.charm.containers)].join(', ');
    throw new SimError(
      'BAD_ARGUMENT',
      `container "${container}" not found in unit ${unitName}: its containers are ${known}`,
    );
  }
  const pebble = new PebbleClient({
    socketPath: new UnitPaths(host.stateDir, unit.name).pebbleSocket(container),
  });
  try {
    const process = await pebble.exec(['/bin/sh', '-c', command], {
      timeoutMs: options.timeoutMs,
    });
    const output = await process.waitOutput();
    return { code: 0, ...output, timedOut: false };
  } catch (error) {
    if (error instanceof ExecError) {
      const { exitCode, stdout, stderr } = error;
      return { code: exitCode, stdout, stderr, timedOut: false };
    }
    if (error instanceof TimeoutError)
      return { code: null, stdout: '', stderr: '', timedOut: true };
    throw new SimError(
      'POD_FAILED',
      `cannot run a command in container ${container} of ${unitName}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await pebble.close();
  }
}
