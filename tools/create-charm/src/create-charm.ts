/**
 * `createCharm`: checks everything first, then writes `charms/<name>` in one step: from the
 * template, or (`from`) as a renamed copy of a charm of the workspace.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateCharmError } from './errors.ts';
import { assertFree, type CharmFile, formatWithBiome, writeCharm } from './files.ts';
import { copyCharm } from './from-charm.ts';
import { charmNameProblem } from './names.ts';
import { nextGroupOrder, scaffold } from './scaffold.ts';

/** What `createCharm` is asked for. */
export interface CreateCharmOptions {
  /** The workspace root (where pnpm-workspace.yaml is). */
  root: string;
  /** The new charm's name. */
  name: string;
  /** The workload container (template only). */
  container?: string;
  /** The command Pebble runs (template only). */
  command?: string;
  /** The workload's port (template only). */
  port?: number;
  /** A charm of `charms/` to copy instead of the template. */
  from?: string;
  /** Run Biome on what was written (default true). */
  format?: boolean;
}

/** What `createCharm` did. */
export interface CreatedCharm {
  /** The new charm's directory. */
  dir: string;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
  /** Files of the `from` charm left out of the copy. */
  leftOut: string[];
  /** Things the user should know (Biome missing, a workload not on PATH here). */
  notes: string[];
}

/** The charms `--from` can copy: the directories of `charms/` with a charmcraft.yaml. */
export function referenceCharms(root: string): string[] {
  const charms = join(root, 'charms');
  if (!existsSync(charms)) return [];
  return readdirSync(charms, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(charms, e.name, 'charmcraft.yaml')))
    .map((e) => e.name)
    .sort();
}

/**
 * Creates `charms/<name>`. Every check (the name, the options, a directory that exists, an
 * unknown `from`) comes before anything is written; the files land in one rename.
 * @throws CreateCharmError naming the argument and what would fix it.
 */
export function createCharm(options: CreateCharmOptions): CreatedCharm {
  const problem = charmNameProblem(options.name);
  if (problem) throw new CreateCharmError(problem);
  const charmsDir = join(options.root, 'charms');
  if (!existsSync(charmsDir)) {
    throw new CreateCharmError(
      `${charmsDir} is missing: is ${options.root} the charm-ts workspace?`,
    );
  }
  assertFree(charmsDir, options.name);
  const groupOrder = nextGroupOrder(options.root);
  let files: CharmFile[];
  let leftOut: string[] = [];
  if (options.from !== undefined) {
    const given = ['container', 'command', 'port'].filter(
      (key) => options[key as 'container' | 'command' | 'port'] !== undefined,
    );
    if (given.length > 0) {
      throw new CreateCharmError(
        `--from copies ${options.from} as it is: ${given.map((k) => `--${k}`).join(', ')} only shape the template (drop --from, or drop them)`,
      );
    }
    const known = referenceCharms(options.root);
    if (!known.includes(options.from)) {
      throw new CreateCharmError(
        `--from ${options.from}: no such charm in charms/ (there are: ${known.join(', ') || 'none'})`,
      );
    }
    const copy = copyCharm(join(charmsDir, options.from), options.name, groupOrder);
    files = copy.files;
    leftOut = copy.leftOut;
  } else {
    files = scaffold({
      name: options.name,
      groupOrder,
      ...(options.container !== undefined && { container: options.container }),
      ...(options.command !== undefined && { command: options.command }),
      ...(options.port !== undefined && { port: options.port }),
    });
  }
  const dir = writeCharm(charmsDir, options.name, files);
  const notes: string[] = [];
  if (options.format !== false) {
    const note = formatWithBiome(options.root, dir);
    if (note) notes.push(note);
  }
  return { dir, files: files.map((f) => f.path).sort(), leftOut, notes };
}
