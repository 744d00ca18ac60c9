/**
 * A copy of the workspace in a temporary directory: sources only (no node_modules, build
 * outputs, caches or git), a few MiB. `pnpm install` there links from the same pnpm store, so
 * it downloads nothing.
 * @module
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';

/** Directory names never copied: installs, build outputs, caches, git. */
export const SKIPPED = new Set(['node_modules', 'dist', '.turbo', '.git', 'coverage', '.cache']);
/** Files never copied: packed charms and generated types (the build writes both again). */
const SKIPPED_FILE = /(\.charm|\.generated\.ts|\.tsbuildinfo)$/;

/** What a command run in the copy printed. */
export interface ShellResult {
  command: string;
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A throwaway copy of the workspace. */
export interface WorkspaceCopy {
  /** Its root directory. */
  root: string;
  /**
   * Runs `command` with `sh -c` in the copy (or `cwd` inside it). `env` is added to this
   * process's environment; a value of undefined removes the variable.
   */
  sh(
    command: string,
    options?: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number },
  ): ShellResult;
  /** Removes the copy. */
  remove(): void;
}

/** Copies the workspace at `from` (sources only) into a new temporary directory. */
export function copyWorkspace(from: string, prefix = 'charm-ts-workspace-'): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(from, root, {
    recursive: true,
    filter: (source) => {
      const rel = relative(from, source);
      if (rel === '') return true;
      const parts = rel.split(sep);
      if (parts.some((part) => SKIPPED.has(part))) return false;
      if (rel === join('docs', 'api') || rel.startsWith(join('docs', 'api') + sep)) return false;
      return !SKIPPED_FILE.test(basename(source));
    },
  });
  return {
    root,
    sh(command, options = {}) {
      // Plain output, for tests to read.
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
      for (const [key, value] of Object.entries(options.env ?? {})) {
        if (value === undefined) delete env[key];
        else env[key] = value;
      }
      const started = Date.now();
      const result: SpawnSyncReturns<string> = spawnSync('sh', ['-c', command], {
        cwd: options.cwd ?? root,
        env,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 600_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return {
        command,
        status: result.status,
        stdout: result.stdout ?? '',
        stderr: `${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`,
        ms: Date.now() - started,
      };
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
