/**
 * Keeping a long download's socket buffers few. Node reads a socket into a fresh ArrayBuffer
 * every time (21-64 KiB each, some 50,000 for 1 GiB), and V8 frees young ArrayBuffers only when
 * its young generation fills with *objects*, which these few, large buffers barely do: 30-55 MiB
 * of dead socket buffers pile up before they go, more on a busy machine (bigger reads), and a
 * 1 GiB pull peaked at 100-165 MiB of RSS (bench/pebble-files/README.md). So a transfer runs a
 * young-generation GC after every {@link collectEvery} bytes it received: the pile stays under
 * ~8 MiB, at no measurable CPU cost (a scavenge of a heap this small takes under a millisecond).
 *
 * The `gc` function is `globalThis.gc` when the process runs with `--expose-gc`; otherwise it is
 * obtained once, when a transfer first passes {@link collectEvery} (a file smaller than that
 * never pays for it): V8's `--expose-gc` flag is set at run time and a new `vm` context hands
 * out its `gc` (~5 ms, once per process). Contexts the process creates later also get a `gc`
 * global; the main context does not. Where that fails, transfers run without it.
 * @module
 */

/** Bytes received between two young-generation GCs. */
export const collectEvery = 4 * 1024 * 1024;

/** V8's `gc()`, as `--expose-gc` defines it. */
export type Gc = (options: { type: 'minor' | 'major' }) => void;

let obtained: Gc | null | undefined;

/** The process's `gc`: the global one, else one obtained as the module comment says. */
export function obtainGc(): Gc | undefined {
  if (obtained !== undefined) return obtained ?? undefined;
  obtained = null;
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') {
    obtained = global as Gc;
    return obtained;
  }
  try {
    process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
    const gc: unknown = process.getBuiltinModule('node:vm').runInNewContext('gc');
    if (typeof gc === 'function') obtained = gc as Gc;
  } catch {
    // A runtime that refuses: transfers go on, with V8's own timing.
  }
  return obtained ?? undefined;
}

/** Counts the bytes a transfer received and collects its dead read buffers now and then. */
export class ReadBufferCollector {
  #since = 0;
  readonly #gc: () => Gc | undefined;

  constructor(gc: () => Gc | undefined = obtainGc) {
    this.#gc = gc;
  }

  /** `bytes` more were read from the socket. */
  received(bytes: number): void {
    this.#since += bytes;
    if (this.#since < collectEvery) return;
    this.#since = 0;
    this.#gc()?.({ type: 'minor' });
  }
}
