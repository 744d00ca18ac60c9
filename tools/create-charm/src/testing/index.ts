/**
 * @charm-ts/create-charm/testing: a throwaway copy of the workspace for tests that add charms to
 * it and run `pnpm install && pnpm build` there, as a user would after `pnpm new-charm`.
 * @module
 */
export type { ShellResult, WorkspaceCopy } from './workspace-copy.ts';
export { copyWorkspace, SKIPPED } from './workspace-copy.ts';
