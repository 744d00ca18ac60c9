/**
 * `Manager`: a run a test stops within, to look at the charm object (Scenario's Manager, its
 * `with ctx(event, state) as mgr`): first once the charm is constructed, then, after `emit()`,
 * once the events, collect-status and the pre-commit observers ran, before the state is saved.
 * When the test's callback returns, the run finishes and `ctx.manager` gives the State after it.
 * @module
 */
import type { DeferredEvent, DispatchControl, DispatchStop } from '@charm-ts/ops';
import type { OutputState } from '../state/types.ts';

/** Where a managed run stands. */
export type ManagerPhase = 'constructed' | 'before-commit';

/** A run stopped within; see `Context.manager`. */
export class Manager<C extends object> {
  #stop: DispatchStop | undefined;
  #phase: ManagerPhase | 'starting' | 'finished' = 'starting';
  /** Lets the stopped dispatch go on. */
  #release: (() => void) | undefined;
  /** Wakes the test side when the dispatch stops. */
  #arrived: (() => void) | undefined;
  readonly #run: Promise<OutputState>;

  /** @internal `start` runs the event with the control it is given. */
  constructor(start: (control: DispatchControl) => Promise<OutputState>) {
    this.#run = start({
      constructed: (stop) => this.#arrive('constructed', stop),
      beforeCommit: (stop) => this.#arrive('before-commit', stop),
    });
  }

  /** Where the run stands: `constructed`, then (after `emit()`) `before-commit`. */
  get phase(): ManagerPhase {
    if (this.#phase === 'starting' || this.#phase === 'finished') {
      throw new Error('the manager is only usable inside the callback of ctx.manager');
    }
    return this.#phase;
  }

  /** The charm instance, as the runtime constructed it. */
  get charm(): C {
    return this.#current().charm as C;
  }

  /** The charm's stored state (its libraries' under their namespaces), as it would be saved now. */
  get storedState(): Readonly<Record<string, unknown>> {
    return this.#current().storedState;
  }

  /** The deferred events: before `emit()` those about to run again, after it those queued. */
  get deferred(): readonly DeferredEvent[] {
    return this.#current().deferred;
  }

  /**
   * Runs the event (the deferred events first), collect-status and the pre-commit observers,
   * and stops again before the state is saved. Once only. Throws UncaughtCharmError when the
   * charm throws meanwhile.
   */
  async emit(): Promise<void> {
    if (this.#phase !== 'constructed') {
      throw new Error(`emit() runs once, while the run is stopped after construction`);
    }
    await this.#goOn();
  }

  /** @internal Waits for the first stop (the run's error when it fails before). */
  started(): Promise<void> {
    return this.#waitForStop();
  }

  /** @internal Lets the run finish without stopping again; the State after it. */
  finish(): Promise<OutputState> {
    this.#phase = 'finished';
    this.#release?.();
    this.#release = undefined;
    return this.#run;
  }

  #current(): DispatchStop {
    if (!this.#stop || this.#phase === 'finished') {
      throw new Error('the manager is only usable inside the callback of ctx.manager');
    }
    return this.#stop;
  }

  #arrive(phase: ManagerPhase, stop: DispatchStop): Promise<void> | undefined {
    if (this.#phase === 'finished') return undefined;
    this.#phase = phase;
    this.#stop = stop;
    const stopped = new Promise<void>((resolve) => {
      this.#release = resolve;
    });
    this.#arrived?.();
    return stopped;
  }

  async #goOn(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    const next = this.#waitForStop();
    release?.();
    await next;
  }

  /** Resolves at the next stop; rejects with the run's error, or when it ends without one. */
  #waitForStop(): Promise<void> {
    const arrived = new Promise<void>((resolve) => {
      this.#arrived = resolve;
    });
    const ended = this.#run.then(() => {
      throw new Error('the run ended before it stopped');
    });
    return Promise.race([arrived, ended]);
  }
}
