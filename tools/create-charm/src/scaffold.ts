/**
 * The new charm from the template in `template/`: `{{placeholder}}`s in file contents and
 * `__name__` in file paths, filled from the options.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateCharmError } from './errors.ts';
import { type CharmFile, listSourceFiles } from './files.ts';
import { charmNameProblem, itemNameProblem, nameForms } from './names.ts';

/** What the template asks for. */
export interface ScaffoldOptions {
  /** The charm's name (checked by {@link charmNameProblem}). */
  name: string;
  /** The workload container; default: the charm's name. */
  container?: string;
  /** The command Pebble runs; default: `python3 -m http.server <port>`. */
  command?: string;
  /** The port the workload listens on (its ready check); default 8080. */
  port?: number;
  /** vitest's groupOrder for the charm's project (see {@link nextGroupOrder}). */
  groupOrder: number;
}

/** The default port and the default command, a workload every machine here has. */
export const DEFAULT_PORT = 8080;
export const defaultCommand = (port: number) => `python3 -m http.server ${port}`;

/** Where the template is: beside `src/` when run from source, and beside `dist/` when bundled. */
export function templateDir(): string {
  const dir = fileURLToPath(new URL('../template/', import.meta.url));
  if (!existsSync(dir)) throw new CreateCharmError(`the charm template is missing: ${dir}`);
  return dir;
}

/** Why `command` cannot be the workload's command, or undefined. */
export function commandProblem(command: string): string | undefined {
  if (command.trim() === '') return '--command is empty: give the command Pebble runs';
  if (/[\r\n]/.test(command)) return '--command has a line break: give one command line';
  if (command.includes('`'))
    return '--command has a backtick: Pebble runs a command without a shell, so nothing would expand it';
  return undefined;
}

/** Why `port` cannot be the workload's port, or undefined. */
export function portProblem(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : `--port ${port} is not a TCP port: give a whole number from 1 to 65535`;
}

/** A TypeScript string literal in single quotes, as Biome writes it. */
function tsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The values of the template's placeholders. Throws `CreateCharmError` on bad options. */
export function templateValues(options: ScaffoldOptions): Record<string, string> {
  const problem = charmNameProblem(options.name);
  if (problem) throw new CreateCharmError(problem);
  const container = options.container ?? options.name;
  const containerProblem = itemNameProblem('--container', container);
  if (containerProblem) throw new CreateCharmError(containerProblem);
  const port = options.port ?? DEFAULT_PORT;
  const badPort = portProblem(port);
  if (badPort) throw new CreateCharmError(badPort);
  const command = options.command ?? defaultCommand(port);
  const badCommand = commandProblem(command);
  if (badCommand) throw new CreateCharmError(badCommand);
  const forms = nameForms(options.name);
  return {
    name: options.name,
    Name: forms.pascal,
    title: forms.title,
    container,
    port: String(port),
    program: command.trim().split(/\s+/)[0] ?? '',
    command,
    commandTs: tsString(command),
    commandComment: command.replace(/\*\//g, '*\\/'),
    groupOrder: String(options.groupOrder),
  };
}

/** Fills `{{key}}` placeholders; an unknown key is a bug in the template. */
export function fill(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${file}: unknown placeholder {{${key}}}`);
    return value;
  });
}

/** The new charm's files. Throws `CreateCharmError` on bad options. */
export function scaffold(options: ScaffoldOptions): CharmFile[] {
  const values = templateValues(options);
  const dir = templateDir();
  return listSourceFiles(dir).map((path) => ({
    path: path.replace(/__name__/g, options.name).replace(/\.tmpl$/, ''),
    content: fill(readFileSync(join(dir, path), 'utf8'), values, path),
    mode: 0o644,
  }));
}

/**
 * The groupOrder after every one the workspace's vitest projects use: projects with worker
 * limits of their own (each charm's e2e runs one file at a time) must each have their own.
 */
export function nextGroupOrder(root: string): number {
  let highest = 0;
  for (const group of ['packages', 'tools', 'charms']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const config = join(base, entry.name, 'vitest.config.ts');
      if (!entry.isDirectory() || !existsSync(config)) continue;
      for (const m of readFileSync(config, 'utf8').matchAll(/groupOrder:\s*(\d+)/g)) {
        highest = Math.max(highest, Number(m[1]));
      }
    }
  }
  return highest + 1;
}
