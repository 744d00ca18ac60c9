/**
 * The ordered stack of labelled layers Pebble keeps, and how `POST /v1/layers` changes it:
 * a new label is appended (or, with `inner`, inserted at the end of its `dir/` group), and
 * `combine` merges into the layer of the same label. Pure, so an in-memory Pebble can keep the
 * same stack the daemon keeps.
 * @module
 */
import { APIError } from './errors.ts';
import { combineLayers, mergeLayers } from './layer-combine.ts';
import type { AddLayerOptions, Layer, Plan } from './types.ts';

/** One layer in the stack, with the order Pebble gives it (`1000 * dir + file`). */
export interface StackedLayer {
  label: string;
  order: number;
  layer: Layer;
}

function group(label: string): string {
  const slash = label.indexOf('/');
  return slash < 0 ? label : label.slice(0, slash);
}

function append(
  stack: readonly StackedLayer[],
  label: string,
  layer: Layer,
  inner: boolean,
): StackedLayer[] {
  let index = stack.length;
  let order = 1000;
  const last = stack.at(-1);
  if (last) {
    const found = stack.findLastIndex((entry) => group(entry.label) === group(label));
    if (found >= 0) {
      index = found + 1;
      order = (stack[found] as StackedLayer).order + 1;
    } else {
      order = (Math.floor(last.order / 1000) + 1) * 1000 + (label.includes('/') ? 1 : 0);
    }
  }
  if (index !== stack.length && !inner) {
    throw new APIError(500, "cannot insert sub-directory layer without 'inner' attribute set");
  }
  return [...stack.slice(0, index), { label, order, layer }, ...stack.slice(index)];
}

/**
 * Returns the stack after adding `layer` under `label` as Pebble does, and the plan it gives.
 * The layer should already have passed `validateLayer`. The input stack is not changed.
 * @throws APIError as the daemon answers: 400 `layer "x" already exists` (a label added twice
 *   without `combine`), 500 for a `dir/label` inserted before later layers without `inner`;
 *   LayerValidationError when the resulting plan is invalid (Pebble answers 400).
 */
export function addToLayerStack(
  stack: readonly StackedLayer[],
  label: string,
  layer: Layer,
  options: Pick<AddLayerOptions, 'combine' | 'inner'> = {},
): { stack: StackedLayer[]; plan: Plan } {
  const index = stack.findIndex((entry) => entry.label === label);
  let next: StackedLayer[];
  if (index < 0) {
    next = append(stack, label, layer, options.inner ?? false);
  } else if (options.combine) {
    const existing = stack[index] as StackedLayer;
    next = [...stack];
    next[index] = { ...existing, layer: mergeLayers([existing.layer, layer]) };
  } else {
    throw new APIError(400, `layer ${JSON.stringify(label)} already exists`);
  }
  return { stack: next, plan: combineLayers(next.map((entry) => entry.layer)) };
}
