import { describe, expect, it } from 'vitest';
import { APIError, LayerValidationError } from './errors.ts';
import { addToLayerStack, type StackedLayer } from './layer-stack.ts';
import type { Layer } from './types.ts';

const svc = (command: string): Layer => ({ services: { s: { override: 'replace', command } } });

function add(stack: StackedLayer[], label: string, layer: Layer, options = {}): StackedLayer[] {
  return addToLayerStack(stack, label, layer, options).stack;
}

describe('addToLayerStack', () => {
  it('orders layers and sub-directory layers as Pebble does', () => {
    let stack: StackedLayer[] = [];
    stack = add(stack, 'base', svc('a'));
    stack = add(stack, 'dir/one', svc('b'));
    stack = add(stack, 'dir/two', svc('c'));
    stack = add(stack, 'top', svc('d'));
    stack = add(stack, 'dir/three', svc('e'), { inner: true });
    expect(stack.map((e) => [e.label, e.order])).toEqual([
      ['base', 1000],
      ['dir/one', 2001],
      ['dir/two', 2002],
      ['dir/three', 2003],
      ['top', 3000],
    ]);
    expect(addToLayerStack(stack, 'x', svc('f')).plan.services.s?.command).toBe('f');
  });

  it('refuses an insert without inner, and a repeated label without combine', () => {
    let stack: StackedLayer[] = add([], 'dir/one', svc('a'));
    stack = add(stack, 'top', svc('b'));
    expect(() => add(stack, 'dir/two', svc('c'))).toThrow(
      new APIError(500, "cannot insert sub-directory layer without 'inner' attribute set"),
    );
    const repeated = (() => {
      try {
        add(stack, 'top', svc('c'));
      } catch (error) {
        return error;
      }
    })();
    expect(repeated).toBeInstanceOf(APIError);
    expect((repeated as APIError).status).toBe(400);
    expect((repeated as APIError).message).toBe('layer "top" already exists');
  });

  it('combines into the layer of the same label, keeping its place', () => {
    let stack: StackedLayer[] = add([], 'a', svc('one'));
    stack = add(stack, 'b', { services: { t: { override: 'replace', command: 'two' } } });
    const result = addToLayerStack(
      stack,
      'a',
      { services: { s: { override: 'merge', user: 'u' } } },
      { combine: true },
    );
    expect(result.stack.map((e) => e.label)).toEqual(['a', 'b']);
    expect(result.plan.services.s).toEqual({ override: 'replace', command: 'one', user: 'u' });
    expect(stack[0]?.layer).toEqual(svc('one'));
  });

  it('appends a combine for a new label', () => {
    const { stack } = addToLayerStack([], 'new', svc('x'), { combine: true });
    expect(stack.map((e) => [e.label, e.order])).toEqual([['new', 1000]]);
  });

  it('refuses a stack whose plan is invalid', () => {
    expect(() => add([], 'a', { services: { s: { override: 'merge' } } })).toThrow(
      LayerValidationError,
    );
  });
});
