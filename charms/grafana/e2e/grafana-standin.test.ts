// The Grafana stand-in refuses what Grafana refuses: each case runs grafana-server (the stand-in
// installed by test-deps.sh) on files the charm would never write, and it must exit non-zero
// with a message that says why, before it listens.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '@charm-ts/pebble/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { STANDIN_COMMAND, standIn } from './support.ts';

const installed = standIn();
const missing = installed
  ? undefined
  : 'the Grafana stand-in is not installed: bash scripts/install-test-deps.sh';
if (missing && process.env.CI) throw new Error(missing);

describe.skipIf(missing)(
  `the Grafana STAND-IN refuses what Grafana refuses${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'grafana-standin-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    /** Runs the stand-in on an ini and provisioning files; it must exit before listening. */
    function run(
      ini: string | undefined,
      files: Record<string, string> = {},
      env: Record<string, string> = {},
    ) {
      const dir = mkdtempSync(join(work, 'case-'));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, 'provisioning', path, '..'), { recursive: true });
        writeFileSync(join(dir, 'provisioning', path), text);
      }
      if (ini !== undefined) writeFileSync(join(dir, 'grafana.ini'), ini);
      return spawnSync(STANDIN_COMMAND, ['-config', join(dir, 'grafana.ini')], {
        encoding: 'utf8',
        timeout: 20_000,
        env: {
          PATH: process.env.PATH ?? '',
          GF_PATHS_DATA: join(dir, 'data'),
          GF_PATHS_PROVISIONING: join(dir, 'provisioning'),
          GF_SERVER_HTTP_PORT: '1',
          ...env,
        },
      });
    }
    const sqlite = '[database]\ntype = sqlite3\npath = grafana.db\n';

    it.each([
      ['a missing ini', undefined, {}, {}, /open .*grafana\.ini: no such file or directory/],
      [
        'an ini that does not parse',
        'key before any section\n',
        {},
        {},
        /failed to parse .*grafana\.ini/,
      ],
      [
        'a port that is not a number',
        sqlite,
        {},
        { GF_SERVER_HTTP_PORT: 'http' },
        /invalid \[server\] http_port: 'http'/,
      ],
      [
        'an unknown database type',
        '[database]\ntype = oracle\n',
        {},
        {},
        /unknown database type: oracle/,
      ],
      [
        'provisioning YAML that does not parse',
        sqlite,
        { 'datasources/ds.yaml': 'datasources: [unclosed' },
        {},
        /datasources provisioning: could not parse .*ds\.yaml/,
      ],
      [
        'two default datasources in one organisation',
        sqlite,
        {
          'datasources/ds.yaml':
            'apiVersion: 1\ndatasources:\n  - {name: a, type: prometheus, isDefault: true}\n  - {name: b, type: loki, isDefault: "true"}\n',
        },
        {},
        /Only one datasource per organization can be marked as default \(org 1: a, b\)/,
      ],
      [
        'a datasource without a type',
        sqlite,
        { 'datasources/ds.yaml': 'datasources:\n  - name: a\n' },
        {},
        /datasource a: type is required/,
      ],
      [
        'a dashboard provider without a path',
        sqlite,
        { 'dashboards/default.yaml': 'providers:\n  - name: Default\n    type: file\n' },
        {},
        /provider Default: options.path is required/,
      ],
    ])('%s', (_name, ini, files, env, message) => {
      const result = run(ini, files, env);
      expect(result.status, result.stdout).toBe(1);
      expect(result.stderr).toMatch(/^Failed to start grafana\. error: /);
      expect(result.stderr).toMatch(message);
    });

    it('with a postgres[database] it cannot reach, it serves and fails /api/health', async () => {
      const free = () =>
        new Promise<number>((resolve) => {
          const probe = createServer().listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
          });
        });
      const [http, pg] = [await free(), await free()];
      const dir = mkdtempSync(join(work, 'pg-'));
      writeFileSync(
        join(dir, 'grafana.ini'),
        `[database]\ntype = postgres\nhost = 127.0.0.1:${pg}\nname = g\nuser = u\npassword = p\n`,
      );
      const child = spawn(STANDIN_COMMAND, ['-config', join(dir, 'grafana.ini')], {
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH ?? '',
          GF_PATHS_DATA: join(dir, 'data'),
          GF_PATHS_PROVISIONING: join(dir, 'provisioning'),
          GF_SERVER_HTTP_PORT: String(http),
          GF_SERVER_HTTP_ADDR: '127.0.0.1',
        },
      });
      try {
        const health = await waitUntil('the stand-in answering /api/health', async () => {
          const res = await fetch(`http://127.0.0.1:${http}/api/health`);
          return { status: res.status, body: await res.json() };
        });
        expect(health).toEqual({
          status: 503,
          body: { commit: 'stand-in', database: 'failing', version: '0.1.0' },
        });
      } finally {
        child.kill();
      }
    });
  },
);
