/**
 * The layers of an in-memory Pebble and the plan they combine into: `POST /v1/layers` (add or
 * combine a layer, `inner` layers in their sub-directory's place), with Pebble's checks and
 * texts, and the plan replaced only when the combination is valid.
 * @module
 */
import type { AddLayerOptions, Layer, Plan } from '@charm-ts/pebble';
import {
  APIError,
  combineLayers,
  LayerValidationError,
  mergeLayers,
  normalizeLayer,
  parseLayer,
  validateLayer,
} from '@charm-ts/pebble';
import { insertionIndex, pebbleText } from './layer-rules.ts';

/**
 * `layer` as the daemon reads it: validated as the client validates it first (throws
 * LayerValidationError), then read as the daemon reads what the client sends.
 */
export function readLayer(label: string, layer: Layer | string): Layer {
  return typeof layer === 'string'
    ? parseLayer(layer, label)
    : normalizeLayer(validateLayer(layer, label), label);
}

/** Layers by label, in order, and the combined plan. */
export class LayerStore {
  readonly #layers: Array<{ label: string; layer: Layer }> = [];
  readonly #planChanged: (plan: Plan) => void;
  #plan: Plan = { services: {}, checks: {}, 'log-targets': {} };

  /**
   * Starts with `initial` (label → layer, in order); `planChanged` hears every new plan.
   * Throws LayerValidationError when an initial layer is invalid.
   */
  constructor(initial: Record<string, Layer>, planChanged: (plan: Plan) => void) {
    this.#planChanged = planChanged;
    for (const [label, layer] of Object.entries(initial)) {
      this.#layers.push({ label, layer: validateLayer(structuredClone(layer), label) });
    }
    if (this.#layers.length > 0) this.#replacePlan(this.#layers.map((l) => l.layer));
  }

  /** The combined plan (not a copy). */
  get plan(): Plan {
    return this.#plan;
  }

  /** The layers, in order (a copy). */
  get layers(): Array<{ label: string; layer: Layer }> {
    return structuredClone(this.#layers);
  }

  /**
   * Adds (or, with `combine`, merges into) the layer `label`, as `readLayer` gave it. Throws
   * APIError 400 with Pebble's text for a layer the daemon refuses.
   */
  add(label: string, parsed: Layer, options: AddLayerOptions): void {
    const index = this.#layers.findIndex((l) => l.label === label);
    const next = [...this.#layers];
    if (index >= 0) {
      if (!options.combine) throw new APIError(400, `layer "${label}" already exists`);
      next[index] = { label, layer: mergeLayers([next[index]?.layer as Layer, parsed]) };
    } else {
      next.splice(insertionIndex(next, label, options.inner ?? false), 0, { label, layer: parsed });
    }
    this.#replacePlan(next.map((l) => l.layer));
    this.#layers.splice(0, this.#layers.length, ...next);
  }

  #replacePlan(layers: Layer[]): void {
    let plan: Plan;
    try {
      plan = combineLayers(layers);
    } catch (error) {
      if (error instanceof LayerValidationError) throw new APIError(400, pebbleText(error));
      throw error;
    }
    this.#plan = plan;
    this.#planChanged(plan);
  }
}
