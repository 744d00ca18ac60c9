/**
 * `@charm-ts/pebble/internal`: not public API, and no promise across versions. Pebble's input
 * rules that the in-memory Pebble of @charm-ts/testing must apply exactly as this client does
 * (the change-id syntax, the custom notice key syntax, the command splitter, how an exec's
 * output is collected), so both refuse the same input with the same words. A copy in @charm-ts/testing would drift (two splitters
 * with different rules once did); exporting them from the public index would offer charms
 * helpers they have no use for. Charms import `@charm-ts/pebble` (or `@charm-ts/ops`) only.
 * @module
 */
export { checkChangeId } from '../changes.ts';
export { waitForOutput } from '../exec.ts';
export { customNoticeKeyRe } from '../notices.ts';
export { checkCommandGroups, shlexSplit } from './shlex.ts';
