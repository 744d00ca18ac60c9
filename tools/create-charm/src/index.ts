/**
 * @charm-ts/create-charm: `pnpm new-charm`, a new charm wired into the workspace, from the
 * template or as a renamed copy of a charm of `charms/`.
 * @module
 */
export type { CliResult } from './cli.ts';
export { runCli } from './cli.ts';
export type { CreateCharmOptions, CreatedCharm } from './create-charm.ts';
export { createCharm, referenceCharms } from './create-charm.ts';
export { CreateCharmError } from './errors.ts';
export type { CharmFile } from './files.ts';
export type { CopiedCharm, SourceCharm } from './from-charm.ts';
export { copyCharm, LEFT_OUT, readSourceCharm } from './from-charm.ts';
export type { NameForms } from './names.ts';
export { charmNameProblem, nameForms } from './names.ts';
export type { FileKind, Rename } from './rename.ts';
export { protectedSpans, renamePath, renameText } from './rename.ts';
export type { ScaffoldOptions } from './scaffold.ts';
export { DEFAULT_PORT, defaultCommand, scaffold } from './scaffold.ts';
