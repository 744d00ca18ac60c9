/**
 * V8 flags a hook process sets for itself, at the point it needs them.
 * @module
 */

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 re-compiles it in the background
 * with its optimising tier, and Node waits for that job before the process can exit: 50-100 ms
 * added to every hook that talks to Pebble, for code that runs a handful of times. A hook process
 * is short-lived, so the baseline WebAssembly tier is kept. `getBuiltinModule`, not `import()`:
 * in a CommonJS bundle `import()` would start Node's ESM loader (~5 ms of CPU, bench/dispatch).
 */
export function limitWasmTiering(): void {
  process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
}
