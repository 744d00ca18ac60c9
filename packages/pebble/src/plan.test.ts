import { afterEach, describe, expect, it } from 'vitest';
import { type FakePebble, startFake, sync } from '../test/fake-server.ts';
import { LayerValidationError, ProtocolError } from './errors.ts';
import { parseLayer } from './layer-yaml.ts';
import { addLayer, getPlan, parsePlan } from './plan.ts';

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('addLayer', () => {
  it('sends YAML text exactly as written, with combine and inner', async () => {
    fake = await startFake({ 'POST /v1/layers': () => sync(true) });
    const text = 'services:\n  a:\n    override: merge  # a comment\n    user-id: 0\n';
    await addLayer(fake.rq, 'dir/a', text, { combine: true, inner: true });
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      action: 'add',
      combine: true,
      inner: true,
      label: 'dir/a',
      format: 'yaml',
      layer: text,
    });
  });

  it('sends a layer object as JSON text (YAML to Pebble), keeping falsy values', async () => {
    fake = await startFake({ 'POST /v1/layers': () => sync(true) });
    await addLayer(fake.rq, 'a', {
      services: {
        a: { override: 'merge', 'group-id': 0, environment: { E: '', Y: 'yes' }, user: undefined },
      },
    });
    const body = JSON.parse(fake.requests[0]?.body ?? '') as { layer: string; combine: boolean };
    expect(body.combine).toBe(false);
    expect(JSON.parse(body.layer)).toEqual({
      services: { a: { override: 'merge', 'group-id': 0, environment: { E: '', Y: 'yes' } } },
    });
    // The same text read as YAML, as Pebble reads it, gives the same layer.
    expect(parseLayer(body.layer, 'a')).toEqual(JSON.parse(body.layer));
  });

  it('sends nothing when the layer is invalid', async () => {
    fake = await startFake({});
    await expect(
      addLayer(fake.rq, 'a', 'services:\n  a:\n    command: x\n'),
    ).rejects.toBeInstanceOf(LayerValidationError);
    await expect(addLayer(fake.rq, 'pebble-a', {})).rejects.toThrow('label');
    expect(fake.requests).toEqual([]);
  });
});

describe('getPlan', () => {
  it('asks for YAML and fills the missing sections', async () => {
    fake = await startFake({
      'GET /v1/plan': () =>
        sync('services:\n    a:\n        override: merge\n        command: x\n'),
    });
    expect(await getPlan(fake.rq)).toEqual({
      services: { a: { override: 'merge', command: 'x' } },
      checks: {},
      'log-targets': {},
    });
    expect(fake.requests[0]?.query.get('format')).toBe('yaml');
  });

  it('reads an empty plan and refuses non-mappings', () => {
    expect(parsePlan('{}\n')).toEqual({ services: {}, checks: {}, 'log-targets': {} });
    expect(parsePlan('')).toEqual({ services: {}, checks: {}, 'log-targets': {} });
    expect(() => parsePlan('- a\n')).toThrow(ProtocolError);
  });
});
