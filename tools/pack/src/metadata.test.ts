import { parseCharmcraft } from '@charm-ts/ops/metadata';
import { describe, expect, it } from 'vitest';
import {
  actionsDocument,
  charmFileName,
  configDocument,
  manifestDocument,
  metadataDocument,
  packTargets,
  toYaml,
} from './metadata.ts';

const UNIFIED = `
name: demo
title: Demo charm
summary: A demo.
description: Longer text.
links:
  documentation: https://example.com/docs
  contact: [Alice <a@example.com>, Bob <b@example.com>]
  issues: https://example.com/issues
  website: [https://example.com]
base: ubuntu@22.04
platforms:
  amd64:
  arm64:
assumes: [k8s-api]
charm-user: non-root
containers:
  app:
    resource: app-image
resources:
  app-image:
    type: oci-image
peers:
  cluster:
    interface: demo_peers
parts:
  charm:
    plugin: charm
`;

describe('metadataDocument', () => {
  it('renames title and links the way charmcraft does, and drops build-only keys', () => {
    const doc = metadataDocument(parseCharmcraft(UNIFIED, 'charmcraft.yaml'));
    expect(doc).toEqual({
      name: 'demo',
      'display-name': 'Demo charm',
      summary: 'A demo.',
      description: 'Longer text.',
      docs: 'https://example.com/docs',
      maintainers: ['Alice <a@example.com>', 'Bob <b@example.com>'],
      issues: 'https://example.com/issues',
      website: ['https://example.com'],
      assumes: ['k8s-api'],
      'charm-user': 'non-root',
      containers: { app: { resource: 'app-image' } },
      resources: { 'app-image': { type: 'oci-image' } },
      peers: { cluster: { interface: 'demo_peers' } },
    });
  });

  it('writes a single contact as a one-item maintainers list', () => {
    const text = UNIFIED.replace(/contact: .*/, 'contact: Alice <a@example.com>');
    const doc = metadataDocument(parseCharmcraft(text, 'charmcraft.yaml'));
    expect(doc.maintainers).toEqual(['Alice <a@example.com>']);
  });
});

describe('config, actions and manifest', () => {
  it('leaves out config.yaml and actions.yaml when there is nothing in them', () => {
    const meta = parseCharmcraft(UNIFIED, 'charmcraft.yaml');
    expect(configDocument(meta)).toBeUndefined();
    expect(actionsDocument(meta)).toBeUndefined();
    const withEmpty = parseCharmcraft(`${UNIFIED}config:\n  options: {}\nactions: {}\n`, 'c.yaml');
    expect(configDocument(withEmpty)).toBeUndefined();
    expect(actionsDocument(withEmpty)).toBeUndefined();
  });

  it('keeps config options and actions as written', () => {
    const text = `${UNIFIED}config:\n  options:\n    port:\n      type: int\n      default: 80\nactions:\n  go:\n    params:\n      n: {type: integer}\n`;
    const meta = parseCharmcraft(text, 'charmcraft.yaml');
    expect(toYaml(configDocument(meta))).toBe(
      'options:\n  port:\n    default: 80\n    type: int\n',
    );
    expect(actionsDocument(meta)).toEqual({ go: { params: { n: { type: 'integer' } } } });
  });

  it('writes one base and one architecture per manifest, channel as a string', () => {
    const [target] = packTargets(parseCharmcraft(UNIFIED, 'charmcraft.yaml'));
    expect(toYaml(manifestDocument(target as never, '9.9.9'))).toBe(
      'bases:\n  - architectures:\n      - amd64\n    channel: "22.04"\n    name: ubuntu\ncharmcraft-version: charm-pack 9.9.9\n',
    );
  });
});

describe('packTargets and charmFileName', () => {
  it('gives one target per base and architecture, for both the platforms and bases forms', () => {
    const unified = parseCharmcraft(UNIFIED, 'charmcraft.yaml');
    expect(packTargets(unified).map((t) => charmFileName('demo', t))).toEqual([
      'demo_ubuntu-22.04-amd64.charm',
      'demo_ubuntu-22.04-arm64.charm',
    ]);
    const legacy = UNIFIED.replace(/base: .*\nplatforms:\n {2}amd64:\n {2}arm64:\n/, '').concat(
      'bases:\n  - build-on: [{name: ubuntu, channel: "22.04"}]\n    run-on:\n      - {name: ubuntu, channel: "22.04", architectures: [amd64]}\n      - {name: ubuntu, channel: "20.04", architectures: [amd64, arm64]}\n',
    );
    expect(
      packTargets(parseCharmcraft(legacy, 'charmcraft.yaml')).map((t) => charmFileName('x', t)),
    ).toEqual([
      'x_ubuntu-22.04-amd64.charm',
      'x_ubuntu-20.04-amd64.charm',
      'x_ubuntu-20.04-arm64.charm',
    ]);
  });
});

describe('toYaml', () => {
  it('sorts keys at every level so the same data gives the same text', () => {
    expect(toYaml({ b: 1, a: { d: 2, c: [{ z: 1, y: 2 }] } })).toBe(
      'a:\n  c:\n    - y: 2\n      z: 1\n  d: 2\nb: 1\n',
    );
  });
});
