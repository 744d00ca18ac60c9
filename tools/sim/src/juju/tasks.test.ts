import { describe, expect, test } from 'vitest';
import { sampleModel } from '../../test/juju-model.ts';
import type { ActionRecord } from '../model.ts';
import { failedTasksMessage, plainTask, processFailed, taskResult } from './tasks.ts';

const [backup, exec] = sampleModel().actions as [ActionRecord, ActionRecord];

describe('tasks', () => {
  test("an action's result in Juju 3's shape, keys sorted as Go writes maps", () => {
    const result = taskResult(backup);
    expect(result).toEqual({
      id: '1',
      log: ['2026-03-01 10:00:00 +0000 UTC starting'],
      results: { nested: { a: 2, z: 1 }, path: '/b.tar', 'return-code': 0, stdout: 'out\n' },
      status: 'completed',
      timing: {
        completed: '2026-03-01 10:00:05.25 +0000 UTC',
        enqueued: '2026-03-01 10:00:00 +0000 UTC',
        started: '2026-03-01 10:00:00 +0000 UTC',
      },
      unit: 'web/0',
    });
    expect(Object.keys(result)).toEqual(['id', 'log', 'results', 'status', 'timing', 'unit']);
    expect(Object.keys(result.results as object)).toEqual([
      'nested',
      'path',
      'return-code',
      'stdout',
    ]);
  });

  test('a process that exits non-zero fails the command, in the words jubilant looks for', () => {
    expect(processFailed(backup)).toBe(false);
    expect(processFailed(exec)).toBe(true);
    expect(taskResult(exec).results).toEqual({ 'return-code': 3, stderr: 'oops\n' });
    expect(failedTasksMessage([exec])).toBe(
      `the following task failed:\n - id "2" with return code 3\n\nuse 'juju show-task' to inspect the failure\n`,
    );
    expect(failedTasksMessage([exec, { ...exec, id: 4 }])).toContain('the following tasks failed:');
    // Killed at --wait: no return code, never "task failed".
    expect(processFailed({ ...exec, returnCode: null })).toBe(false);
  });

  test("plain output: the charm's results, then what the process printed", () => {
    expect(plainTask(backup)).toBe('nested:\n  a: 2\n  z: 1\npath: /b.tar\nout\n');
    expect(plainTask({ ...backup, status: 'failed', message: 'no disk', stdout: '' })).toBe(
      'Action id 1 failed: no disk\nnested:\n  a: 2\n  z: 1\npath: /b.tar\n',
    );
  });
});
