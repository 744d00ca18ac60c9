import { existsSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftZip } from '@charm-ts/zip/testing';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { unpackCharm } from './charm.ts';

const META = `name: demo
summary: s
description: d
containers:
  app:
    resource: app-image
    mounts: [{storage: data, location: /data}]
resources:
  app-image: {type: oci-image}
  blob: {type: file, filename: blob.bin}
storage:
  data: {type: filesystem, location: /srv}
peers:
  cluster: {interface: demo-cluster}
provides:
  web: http
requires:
  db: {interface: pg, limit: 1}
`;

function charmFile(entries: Parameters<typeof craftZip>[0]): string {
  const dir = tempDir('sim-charm-');
  const file = join(dir, 'demo.charm');
  writeFileSync(file, craftZip(entries));
  return file;
}

describe('unpackCharm', () => {
  test('unpacks files, modes and symlinks, and reads metadata, config and actions', () => {
    const file = charmFile([
      { name: 'metadata.yaml', data: META, mode: 0o644 },
      {
        name: 'config.yaml',
        data: 'options:\n  port: {type: int, default: 80}\n  name: {type: string}\n',
        mode: 0o644,
      },
      {
        name: 'actions.yaml',
        data: 'backup:\n  params: {to: {type: string}}\n  required: [to]\n  additionalProperties: false\n',
        mode: 0o644,
      },
      { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 },
      { name: 'hooks/install', data: '../dispatch', mode: 0o120777 },
    ]);
    const dir = join(tempDir('sim-out-'), 'charm');
    const info = unpackCharm(file, dir);
    expect(statSync(join(dir, 'dispatch')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(dir, 'hooks/install'))).toBe('../dispatch');
    expect(readFileSync(join(dir, 'metadata.yaml'), 'utf8')).toBe(META);
    expect(info.name).toBe('demo');
    expect(info.endpoints).toEqual({
      peers: { cluster: { interface: 'demo-cluster' } },
      provides: { web: { interface: 'http' } },
      requires: { db: { interface: 'pg', limit: 1 } },
    });
    expect(info.containers.app).toEqual({
      resource: 'app-image',
      mounts: [{ storage: 'data', location: '/data' }],
    });
    expect(info.storage.data).toEqual({ type: 'filesystem', location: '/srv' });
    expect(info.resources.blob).toEqual({ type: 'file', filename: 'blob.bin' });
    expect(info.config).toEqual({ port: { type: 'int', default: 80 }, name: { type: 'string' } });
    expect(info.actions.backup).toEqual({
      params: { to: { type: 'string' } },
      required: ['to'],
      additionalProperties: false,
    });
  });

  test('a charm without metadata.yaml is refused with Juju’s words', () => {
    const file = charmFile([{ name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 }]);
    expect(() => unpackCharm(file, join(tempDir('sim-nometa-'), 'out'))).toThrow(
      'archive file "metadata.yaml" not found',
    );
  });

  test('metadata names that would become paths outside the unit are refused', () => {
    const file = charmFile([
      {
        name: 'metadata.yaml',
        data: 'name: demo\ncontainers:\n  ../../../../tmp/evil: {resource: x}\n',
        mode: 0o644,
      },
    ]);
    const out = join(tempDir('sim-badname-'), 'out');
    expect(() => unpackCharm(file, out)).toThrow(
      'metadata.yaml: container "../../../../tmp/evil" is not a valid name',
    );
    expect(existsSync(out)).toBe(false);
    const filename = charmFile([
      {
        name: 'metadata.yaml',
        data: 'name: demo\nresources:\n  blob: {type: file, filename: ../../../x}\n',
        mode: 0o644,
      },
    ]);
    expect(() => unpackCharm(filename, join(tempDir('sim-badname-'), 'out'))).toThrow(
      'resource blob filename "../../../x" is not a valid name',
    );
  });

  test('a dispatch without the execute bit is refused with the fix', () => {
    const file = charmFile([
      { name: 'metadata.yaml', data: META, mode: 0o644 },
      { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o644 },
    ]);
    expect(() => unpackCharm(file, join(tempDir('sim-noexec-'), 'out'))).toThrow(
      'dispatch is not executable (mode 644); pack it with Unix mode 0755',
    );
  });

  test('an unknown config type is refused', () => {
    const file = charmFile([
      { name: 'metadata.yaml', data: META, mode: 0o644 },
      { name: 'config.yaml', data: 'options:\n  x: {type: map}\n', mode: 0o644 },
    ]);
    expect(() => unpackCharm(file, join(tempDir('sim-badcfg-'), 'out'))).toThrow(
      'config option x has unknown type map',
    );
  });
});
