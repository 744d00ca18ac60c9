/**
 * `@charm-ts/ops/stack-banner`: the entry charm-pack bundles (as an IIFE) at the top of every
 * `charm.cjs`, before any other code runs, so every stack trace of a packed charm is mapped to
 * TypeScript when it is formatted (see stack.ts). Running it costs one function assignment.
 * @module
 */
import { installStackMapping } from './stack.ts';

installStackMapping();
